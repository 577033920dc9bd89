package io.latchkey.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * One limit of a {@link RateLimited} method, declared inline:
 * {@code @Limit(algorithm = Limit.Algorithm.SLIDING_LOG, permits = 100, window = "1m")}. For
 * {@link Algorithm#TOKEN_BUCKET}, {@link #capacity()} is the bucket size and {@code permits} tokens are added per
 * {@code window}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({})
public @interface Limit {

    /** The algorithm; sliding log (exact for any window) by default. */
    Algorithm algorithm() default Algorithm.SLIDING_LOG;

    /** Permits per window (token bucket: tokens added per window); {@code > 0}. */
    long permits();

    /** The window, e.g. {@code "1s"}, {@code "1m"}, {@code "PT1H"}; {@code > 0}. */
    String window();

    /** Token bucket only: the bucket size; {@code 0} (the default) means {@link #permits()}. */
    long capacity() default 0;

    /** The rate-limit algorithms of the ratelimit module. */
    enum Algorithm {
        /** Counter per aligned window (INCR/EXPIRE): at most {@code permits} per aligned window. */
        FIXED_WINDOW,
        /** Log of timestamps: at most {@code permits} in any window. */
        SLIDING_LOG,
        /** Weighted pair of fixed windows: a documented approximation of the sliding log. */
        SLIDING_WINDOW,
        /** GCRA token bucket: at most {@code capacity + permits × t / window}. */
        TOKEN_BUCKET
    }
}
