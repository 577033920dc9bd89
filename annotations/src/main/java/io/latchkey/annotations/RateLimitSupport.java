package io.latchkey.annotations;

import io.latchkey.core.Latchkey;
import java.util.List;
import java.util.concurrent.Executor;

/** {@link RateLimited} wiring (waits for the ratelimit module). */
final class RateLimitSupport {

    RateLimitSupport(Latchkey latchkey, List<Object> registrations) {
    }

    Step step(RateLimited a, MethodPlanContext ctx, int order, Executor executor) {
        throw new IllegalArgumentException(ctx.description() + ": @RateLimited is not available yet");
    }
}
