package io.latchkey.ratelimit;

import io.latchkey.core.FailurePolicy;
import io.latchkey.core.spi.Arguments;
import java.time.Duration;
import java.util.Objects;

/**
 * Options of a {@link RateLimiter}. Immutable; {@link #defaults()}: FAIL_CLOSED, 200 ms timeout, no near-cache.
 *
 * <pre>{@code
 * RateLimiterOptions.builder().failurePolicy(FailurePolicy.FAIL_OPEN).timeout(Duration.ofMillis(100))
 *         .nearCache(10_000).build();
 * }</pre>
 */
public final class RateLimiterOptions {

    private static final RateLimiterOptions DEFAULTS = builder().build();

    private final FailurePolicy failurePolicy;
    private final Duration timeout;
    private final int nearCacheSize;
    private final Duration fallbackRetryAfter;

    private RateLimiterOptions(Builder b) {
        this.failurePolicy = b.failurePolicy;
        this.timeout = b.timeout;
        this.nearCacheSize = b.nearCacheSize;
        this.fallbackRetryAfter = b.fallbackRetryAfter;
    }

    /** FAIL_CLOSED, 200 ms timeout, no near-cache, 1 s fallback retry-after. */
    public static RateLimiterOptions defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** What a decision is when Redis cannot be asked in time. */
    public FailurePolicy failurePolicy() {
        return failurePolicy;
    }

    /** How long a decision waits for Redis before the failure policy answers. */
    public Duration timeout() {
        return timeout;
    }

    /** Maximum keys whose denial is remembered locally; 0 = near-cache off. */
    public int nearCacheSize() {
        return nearCacheSize;
    }

    /** The retry-after of a FAIL_CLOSED fallback decision. */
    public Duration fallbackRetryAfter() {
        return fallbackRetryAfter;
    }

    /** Builder of {@link RateLimiterOptions}. */
    public static final class Builder {
        private FailurePolicy failurePolicy = FailurePolicy.FAIL_CLOSED;
        private Duration timeout = Duration.ofMillis(200);
        private int nearCacheSize;
        private Duration fallbackRetryAfter = Duration.ofSeconds(1);

        private Builder() {
        }

        /** FAIL_CLOSED (default): deny when Redis cannot be asked; FAIL_OPEN: allow. Either way it is counted. */
        public Builder failurePolicy(FailurePolicy policy) {
            this.failurePolicy = Objects.requireNonNull(policy, "failurePolicy");
            return this;
        }

        /**
         * Per-decision timeout (default 200 ms, at least 1 ms, at most 1 minute): after it the failure policy answers, so an
         * outage adds at most this much latency. The script may still run later (a counter then errs toward
         * denying).
         */
        public Builder timeout(Duration timeout) {
            Arguments.timeout(timeout, "timeout");
            if (timeout.compareTo(Duration.ofMinutes(1)) > 0) {
                throw new IllegalArgumentException("timeout must be at most 1 minute, was " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * Remember up to {@code maxKeys} denied keys locally and answer them without Redis until their
         * retry-after (never longer); 0 turns it off (default).
         */
        public Builder nearCache(int maxKeys) {
            if (maxKeys < 0) {
                throw new IllegalArgumentException("nearCache must be >= 0, was " + maxKeys);
            }
            this.nearCacheSize = maxKeys;
            return this;
        }

        /** The retry-after of a FAIL_CLOSED fallback (default 1 s); also what acquire() waits after one. */
        public Builder fallbackRetryAfter(Duration retryAfter) {
            this.fallbackRetryAfter = Arguments.positive(retryAfter, "fallbackRetryAfter");
            return this;
        }

        /** The options. */
        public RateLimiterOptions build() {
            return new RateLimiterOptions(this);
        }
    }
}
