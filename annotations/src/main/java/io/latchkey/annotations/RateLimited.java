package io.latchkey.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Takes permits from a {@link io.latchkey.ratelimit.RateLimiter} before the method runs. The limits are declared
 * inline with {@link #limits()}, or — when {@code limits} is empty — the limiter is the one registered under
 * {@link #name()} with {@link LatchkeyProxies.Builder#rateLimiter}.
 *
 * <pre>{@code
 * @RateLimited(name = "quotes", key = "{customerId}",
 *              limits = {@Limit(permits = 10, window = "1s"), @Limit(permits = 1000, window = "1h")})
 * Quote quote(@Key("customerId") String customerId, Basket basket);
 * }</pre>
 *
 * <p>On denial, {@link OnDenied#THROW} (the default) throws {@link RateLimitExceededException} carrying the
 * decision (with its {@code retryAfter}); {@link OnDenied#WAIT} waits up to {@link #maxWait()} for the permits,
 * then throws. A Redis failure follows the limiter's failure policy (FAIL_CLOSED denies, FAIL_OPEN allows).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface RateLimited {

    /**
     * The limiter name (the bounded metrics tag). Required when {@link #limits()} is empty (it names a registered
     * limiter); otherwise empty means {@code <TypeSimpleName>.<method>} of the type declaring the annotation.
     */
    String name() default "";

    /** The key template (e.g. {@code "{userId}"}); empty (the default): one bucket for every call, key {@code "*"}. */
    String key() default "";

    /** Inline limits; empty: use the limiter registered under {@link #name()}. */
    Limit[] limits() default {};

    /** Permits one call takes; {@code > 0}. */
    long permits() default 1;

    /** What a denied call does. */
    OnDenied onDenied() default OnDenied.THROW;

    /** With {@link OnDenied#WAIT}: the longest wait; {@code >= 0}. */
    String maxWait() default "0s";

    /** Position in the chain of coordination annotations; smaller runs first (outermost). See {@link Order}. */
    int order() default Order.DEFAULT;

    /** What a denied call does. */
    enum OnDenied {
        /** Throw {@link RateLimitExceededException} at once. */
        THROW,
        /** Wait up to {@link RateLimited#maxWait()} (guided by the decision's retryAfter), then throw. */
        WAIT
    }
}
