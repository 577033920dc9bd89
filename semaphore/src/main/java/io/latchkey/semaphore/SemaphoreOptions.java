package io.latchkey.semaphore;

import io.latchkey.core.spi.Arguments;
import java.time.Duration;

/**
 * Options of one {@link DistributedSemaphore}. Immutable; {@link #defaults()} suits most uses.
 */
public final class SemaphoreOptions {

    /** Default {@link #stateRetention()}: one day. */
    public static final Duration DEFAULT_STATE_RETENTION = Duration.ofDays(1);
    /** Default {@link #maxRecheck()}: one second. */
    public static final Duration DEFAULT_MAX_RECHECK = Duration.ofSeconds(1);

    private static final SemaphoreOptions DEFAULTS = builder().build();

    private final Duration stateRetention;
    private final Duration maxRecheck;

    private SemaphoreOptions(Builder b) {
        this.stateRetention = b.stateRetention;
        this.maxRecheck = b.maxRecheck;
    }

    /** The default options. */
    public static SemaphoreOptions defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * How long the semaphore's state (stored limit, peak) outlives its last write when no permit is held. Keys
     * always live at least as long as the longest live permit; after that they expire, and the next acquire starts
     * again from the configured permits.
     */
    public Duration stateRetention() {
        return stateRetention;
    }

    /** Upper bound of a waiter's fallback re-check interval, in case a release message is lost. */
    public Duration maxRecheck() {
        return maxRecheck;
    }

    @Override
    public String toString() {
        return "SemaphoreOptions[stateRetention=" + stateRetention + ", maxRecheck=" + maxRecheck + "]";
    }

    /** Builder of {@link SemaphoreOptions}; every setter checks its argument at once. */
    public static final class Builder {
        private Duration stateRetention = DEFAULT_STATE_RETENTION;
        private Duration maxRecheck = DEFAULT_MAX_RECHECK;

        private Builder() {
        }

        /** See {@link SemaphoreOptions#stateRetention()}; at least 1 s, at most 3650 days. */
        public Builder stateRetention(Duration retention) {
            Arguments.toMillis(retention, "stateRetention");
            if (retention.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("stateRetention must be at least 1 s, was " + retention);
            }
            this.stateRetention = retention;
            return this;
        }

        /** See {@link SemaphoreOptions#maxRecheck()}; at least 1 ms. */
        public Builder maxRecheck(Duration maxRecheck) {
            Arguments.toMillis(maxRecheck, "maxRecheck");
            this.maxRecheck = maxRecheck;
            return this;
        }

        /** The options. */
        public SemaphoreOptions build() {
            return new SemaphoreOptions(this);
        }
    }
}
