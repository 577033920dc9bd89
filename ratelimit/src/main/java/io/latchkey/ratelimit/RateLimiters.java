package io.latchkey.ratelimit;

import io.latchkey.core.Latchkey;
import io.latchkey.core.spi.Keys;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Creates {@link RateLimiter}s on one {@link Latchkey} client. Creating a limiter sends nothing to Redis.
 *
 * <p>State is stored per (limiter name, user key, algorithm, window): limiters of one name in several processes
 * share it, and a changed quota applies to the stored state at once (a changed window starts afresh).
 */
public final class RateLimiters {

    private final Latchkey latchkey;

    private RateLimiters(Latchkey latchkey) {
        this.latchkey = latchkey;
    }

    /** Rate limiters on {@code latchkey}. */
    public static RateLimiters of(Latchkey latchkey) {
        return new RateLimiters(Objects.requireNonNull(latchkey, "latchkey"));
    }

    /**
     * A limiter with the {@linkplain RateLimiterOptions#defaults() default options} (FAIL_CLOSED, 200 ms).
     *
     * @param name   the limiter's name (no braces, at most 256 characters); the bounded metrics tag
     * @param limits one or more limits, all checked and consumed together; at most one per algorithm and window
     */
    public RateLimiter limiter(String name, RateLimit... limits) {
        return limiter(name, RateLimiterOptions.defaults(), limits);
    }

    /** As {@link #limiter(String, RateLimit...)} with options (failure policy, timeout, near-cache). */
    public RateLimiter limiter(String name, RateLimiterOptions options, RateLimit... limits) {
        Keys.validateName(name, "name");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(limits, "limits");
        if (limits.length == 0) {
            throw new IllegalArgumentException("limits must contain at least one RateLimit");
        }
        if (limits.length > 16) {
            throw new IllegalArgumentException("limits must contain at most 16 RateLimits, was " + limits.length);
        }
        List<RateLimit> list = new ArrayList<>(limits.length);
        Set<String> suffixes = new HashSet<>();
        for (int i = 0; i < limits.length; i++) {
            RateLimit limit = Objects.requireNonNull(limits[i], "limits[" + i + "]");
            if (!suffixes.add(limit.keySuffix())) {
                throw new IllegalArgumentException("limits must not contain two " + limit.algorithm()
                        + " limits with the same window " + limit.window() + " (the smaller quota alone decides): "
                        + limit);
            }
            list.add(limit);
        }
        return new RedisRateLimiter(latchkey, name, List.copyOf(list), options);
    }
}
