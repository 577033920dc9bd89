package io.latchkey.semaphore;

import io.latchkey.core.UnreplicatedGrant;
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
    private final int replicas;
    private final Duration replicaTimeout;
    private final UnreplicatedGrant onUnreplicated;

    private SemaphoreOptions(Builder b) {
        this.stateRetention = b.stateRetention;
        this.maxRecheck = b.maxRecheck;
        this.replicas = b.replicas;
        this.replicaTimeout = b.replicaTimeout;
        this.onUnreplicated = b.onUnreplicated;
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

    /**
     * How many replicas must confirm a grant before the permit is handed out (0, the default: not checked). With
     * more than 0, every grant is followed by {@code WAIT replicas timeout} on the same connection (one extra round
     * trip; {@code WAITAOF} on Redis 7.2+ with AOF), and the permit's {@code replication()} tells the answer.
     */
    public int replicas() {
        return replicas;
    }

    /** How long a grant waits for {@link #replicas()} confirmations; zero when not checked. */
    public Duration replicaTimeout() {
        return replicaTimeout;
    }

    /** What happens to a grant that did not reach {@link #replicas()} in time (default {@code REFUSE}). */
    public UnreplicatedGrant onUnreplicated() {
        return onUnreplicated;
    }

    @Override
    public String toString() {
        return "SemaphoreOptions[stateRetention=" + stateRetention + ", maxRecheck=" + maxRecheck
                + (replicas > 0 ? ", replicas=" + replicas + " within " + replicaTimeout + " else " + onUnreplicated : "")
                + "]";
    }

    /** Builder of {@link SemaphoreOptions}; every setter checks its argument at once. */
    public static final class Builder {
        private Duration stateRetention = DEFAULT_STATE_RETENTION;
        private Duration maxRecheck = DEFAULT_MAX_RECHECK;
        private int replicas;
        private Duration replicaTimeout = Duration.ZERO;
        private UnreplicatedGrant onUnreplicated = UnreplicatedGrant.REFUSE;

        private Builder() {
        }

        /**
         * See {@link SemaphoreOptions#replicas()}: {@code replicas >= 1} must confirm each grant within
         * {@code timeout} (at least 1 ms, and shorter than the client's command timeout);
         * {@code replicas(0, Duration.ZERO)} turns the check off.
         */
        public Builder replicas(int replicas, Duration timeout) {
            this.replicaTimeout = Arguments.replicaTimeout(replicas, timeout);
            this.replicas = replicas;
            return this;
        }

        /** See {@link SemaphoreOptions#onUnreplicated()}. */
        public Builder onUnreplicated(UnreplicatedGrant policy) {
            this.onUnreplicated = java.util.Objects.requireNonNull(policy, "policy");
            return this;
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
