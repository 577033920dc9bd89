package io.latchkey.annotations;

import io.latchkey.ratelimit.RateLimitDecision;
import io.latchkey.ratelimit.RateLimiter;
import java.lang.annotation.Annotation;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** {@link RateLimited}. */
final class RateLimitStep implements Step {

    /** The key of a limiter without a key template: one bucket for every call. */
    static final String GLOBAL_KEY = "*";

    private final MethodPlanContext ctx;
    private final int order;
    private final RateLimiter limiter;
    private final KeyTemplate key;
    private final long permits;
    private final boolean wait;
    private final Duration maxWait;

    RateLimitStep(RateLimited a, MethodPlanContext ctx, int order, RateLimiter limiter) {
        this.ctx = ctx;
        this.order = order;
        this.limiter = limiter;
        this.key = ctx.template(a.key(), "@RateLimited(key)", false);
        if (a.permits() <= 0) {
            throw new IllegalArgumentException(ctx.description() + ": @RateLimited(permits) must be > 0, was "
                    + a.permits());
        }
        this.permits = a.permits();
        this.wait = a.onDenied() == RateLimited.OnDenied.WAIT;
        this.maxWait = ctx.nonNegative(a.maxWait(), "@RateLimited(maxWait)");
        if (!wait && !maxWait.isZero()) {
            throw new IllegalArgumentException(ctx.description() + ": @RateLimited(maxWait) is set but onDenied is"
                    + " THROW; set onDenied = WAIT to wait");
        }
        for (var l : limiter.limits()) {
            if (permits > l.limit()) {
                throw new IllegalArgumentException(ctx.description() + ": @RateLimited(permits) " + permits
                        + " exceeds the limit " + l + " of \"" + limiter.name() + "\"; no call could ever pass");
            }
        }
    }

    @Override
    public int order() {
        return order;
    }

    @Override
    public Class<? extends Annotation> annotationType() {
        return RateLimited.class;
    }

    @Override
    public Object resolve(Object[] args) {
        return key == null ? GLOBAL_KEY : key.render(args);
    }

    @Override
    public Object invoke(Object resolved, SyncNext next) throws Throwable {
        String k = (String) resolved;
        RateLimitDecision d = limiter.tryAcquire(k, permits);
        if (!d.allowed()) {
            boolean acquired = false;
            if (canWait(d)) {
                try {
                    acquired = limiter.acquire(k, permits, maxWait);
                } catch (InterruptedException e) {
                    throw ctx.interrupted(e, rejected(k, d, e));
                }
            }
            if (!acquired) {
                throw rejected(k, d, null);
            }
        }
        return next.proceed();
    }

    @Override
    public CompletableFuture<Object> invokeAsync(Object resolved, AsyncNext next, Cancellation cancel) {
        String k = (String) resolved;
        return limiter.tryAcquireAsync(k, permits).thenCompose(d -> {
            if (d.allowed()) {
                return next.proceed();
            }
            if (!canWait(d)) {
                return CompletableFuture.failedFuture(rejected(k, d, null));
            }
            return cancel.track(limiter.acquireAsync(k, permits, maxWait)).thenCompose(ok -> ok ? next.proceed()
                    : CompletableFuture.failedFuture(rejected(k, d, null)));
        });
    }

    private boolean canWait(RateLimitDecision d) {
        // waiting helps only for a real denial that clears within maxWait
        return wait && !d.exceedsLimit() && !d.isFallback() && d.retryAfter().compareTo(maxWait) <= 0;
    }

    private RateLimitExceededException rejected(String k, RateLimitDecision d, Throwable cause) {
        return new RateLimitExceededException(ctx.description(), limiter.name(), k, d, cause);
    }
}
