package io.latchkey.annotations;

import io.latchkey.core.Latchkey;
import io.latchkey.ratelimit.RateLimit;
import io.latchkey.ratelimit.RateLimiter;
import io.latchkey.ratelimit.RateLimiterOptions;
import io.latchkey.ratelimit.RateLimiters;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link RateLimited} wiring: limiters registered with the builder, and inline limiters shared by name (two
 * methods naming one limiter must declare the same limits).
 */
final class RateLimitSupport {

    private final Latchkey latchkey;
    private final RateLimiterOptions options;
    private final Map<String, RateLimiter> registered;
    private final Map<String, RateLimiter> inline = new HashMap<>();
    private final Map<String, String> inlineDeclaredBy = new HashMap<>();

    RateLimitSupport(Latchkey latchkey, RateLimiterOptions options, Map<String, RateLimiter> registered) {
        this.latchkey = latchkey;
        this.options = options;
        this.registered = Map.copyOf(registered);
    }

    synchronized Object snapshot() {
        return List.of(new HashMap<>(inline), new HashMap<>(inlineDeclaredBy));
    }

    @SuppressWarnings("unchecked")
    synchronized void restore(Object snapshot) {
        List<Map<String, ?>> s = (List<Map<String, ?>>) snapshot;
        inline.clear();
        inline.putAll((Map<String, RateLimiter>) s.get(0));
        inlineDeclaredBy.clear();
        inlineDeclaredBy.putAll((Map<String, String>) s.get(1));
    }

    Step step(RateLimited a, MethodPlanContext ctx, int order) {
        RateLimiter limiter = limiter(a, ctx);
        return new RateLimitStep(a, ctx, order, limiter);
    }

    private synchronized RateLimiter limiter(RateLimited a, MethodPlanContext ctx) {
        String declared = ctx.text(a.name(), "@RateLimited(name)");
        if (a.limits().length == 0) {
            if (declared.isBlank()) {
                throw new IllegalArgumentException(ctx.description() + ": @RateLimited needs inline limits or the"
                        + " name of a limiter registered with LatchkeyProxies.builder(latchkey).rateLimiter(...)");
            }
            RateLimiter r = registered.get(declared);
            if (r == null) {
                throw new IllegalArgumentException(ctx.description() + ": @RateLimited(name = \"" + declared
                        + "\") has no inline limits and no limiter of that name is registered (registered: "
                        + registered.keySet() + ")");
            }
            return r;
        }
        String name = declared.isEmpty() ? ctx.defaultName() : declared;
        if (registered.containsKey(name)) {
            throw new IllegalArgumentException(ctx.description() + ": @RateLimited(name = \"" + name + "\") declares"
                    + " inline limits but a limiter of that name is registered; use one or the other");
        }
        RateLimit[] limits = new RateLimit[a.limits().length];
        for (int i = 0; i < limits.length; i++) {
            limits[i] = limit(a.limits()[i], ctx, "@RateLimited(limits[" + i + "])");
        }
        RateLimiter existing = inline.get(name);
        if (existing != null) {
            if (!existing.limits().equals(List.of(limits))) {
                throw new IllegalArgumentException(ctx.description() + ": @RateLimited \"" + name + "\" has limits "
                        + List.of(limits) + " but " + inlineDeclaredBy.get(name) + " declares it with limits "
                        + existing.limits() + "; one name must have one configuration");
            }
            return existing;
        }
        RateLimiter created = ctx.wrap("@RateLimited", () -> RateLimiters.of(latchkey).limiter(name, options, limits));
        inline.put(name, created);
        inlineDeclaredBy.put(name, ctx.description());
        return created;
    }

    private static RateLimit limit(Limit l, MethodPlanContext ctx, String where) {
        var window = ctx.positive(l.window(), where + ".window");
        if (l.capacity() != 0 && l.algorithm() != Limit.Algorithm.TOKEN_BUCKET) {
            throw new IllegalArgumentException(ctx.description() + ": " + where + ": capacity applies to"
                    + " TOKEN_BUCKET only");
        }
        return ctx.wrap(where, () -> switch (l.algorithm()) {
            case FIXED_WINDOW -> RateLimit.fixedWindow(l.permits(), window);
            case SLIDING_LOG -> RateLimit.slidingLog(l.permits(), window);
            case SLIDING_WINDOW -> RateLimit.slidingWindow(l.permits(), window);
            case TOKEN_BUCKET -> RateLimit.tokenBucket(l.capacity() == 0 ? l.permits() : l.capacity(), l.permits(),
                    window);
        });
    }
}
