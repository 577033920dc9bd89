package io.latchkey.lock;

import io.latchkey.core.UnreplicatedGrant;
import io.latchkey.core.spi.Arguments;
import io.latchkey.core.spi.Keys;
import io.latchkey.core.spi.LeaseClock;
import java.time.Duration;
import java.util.Optional;

/**
 * Options of one lock object (shared by single-instance locks and Redlock). Immutable; {@link #defaults()} suits
 * most uses.
 */
public final class LockOptions {

    /** Default {@link #driftFactor()}: 1% of the lease. */
    public static final double DEFAULT_DRIFT_FACTOR = 0.01;
    /** Default {@link #driftMinimum()}: 2 ms. */
    public static final Duration DEFAULT_DRIFT_MINIMUM = Duration.ofMillis(2);
    /** Default {@link #maxRecheck()}: one second. */
    public static final Duration DEFAULT_MAX_RECHECK = Duration.ofSeconds(1);
    /** Default {@link #fencingCounterTtl()}: 30 days. */
    public static final Duration DEFAULT_FENCING_COUNTER_TTL = Duration.ofDays(30);

    private static final LockOptions DEFAULTS = builder().build();

    private final String metricsGroup;
    private final double driftFactor;
    private final Duration driftMinimum;
    private final Duration maxRecheck;
    private final Duration fencingCounterTtl;
    private final int replicas;
    private final Duration replicaTimeout;
    private final UnreplicatedGrant onUnreplicated;

    private LockOptions(Builder b) {
        this.replicas = b.replicas;
        this.replicaTimeout = b.replicaTimeout;
        this.onUnreplicated = b.onUnreplicated;
        this.metricsGroup = b.metricsGroup;
        this.driftFactor = b.driftFactor;
        this.driftMinimum = b.driftMinimum;
        this.maxRecheck = b.maxRecheck;
        this.fencingCounterTtl = b.fencingCounterTtl;
    }

    /** The default options. */
    public static LockOptions defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The {@code name} tag of this lock's meters; empty means the lock name up to its first {@code ':'}
     * ({@code "order:42"} → {@code "order"}). Keep the set of groups small: it is a metric tag.
     */
    public Optional<String> metricsGroup() {
        return Optional.ofNullable(metricsGroup);
    }

    /**
     * The part of a lease assumed lost to clock-rate drift between client and Redis: the local deadline is
     * {@code send time + lease - (lease × driftFactor + driftMinimum)}.
     */
    public double driftFactor() {
        return driftFactor;
    }

    /** The fixed part of the drift margin (also covers the timer resolution). */
    public Duration driftMinimum() {
        return driftMinimum;
    }

    /**
     * Upper bound of a waiter's fallback re-check interval, in case a hand-over or release message is lost. It also
     * sets how long a vanished waiter keeps its place in the single-instance lock's queue (about twice this plus a
     * second).
     */
    public Duration maxRecheck() {
        return maxRecheck;
    }

    /**
     * Time to live of the per-lock fencing counter (renewed by every acquire). Tokens still increase after it
     * expires, because a token is never below the Redis time in microseconds.
     */
    public Duration fencingCounterTtl() {
        return fencingCounterTtl;
    }

    /**
     * How many replicas must confirm a grant before the lease is handed out (0, the default: not checked). With
     * more than 0, every grant of a single-instance lock is followed by {@code WAIT replicas timeout} on the same
     * connection (one extra round trip; {@code WAITAOF} on Redis 7.2+ with AOF), and the lease's
     * {@code replication()} tells the answer. Redlock ignores it: its nodes are independent primaries.
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

    /**
     * The margin subtracted from a lease of {@code leaseNanos} for the local deadline, in nanoseconds. Used by
     * {@link io.latchkey.core.spi.LeaseClock}; Redlock computes the same from the public getters.
     */
    long driftNanos(long leaseNanos) {
        return LeaseClock.driftNanos(leaseNanos, driftFactor, driftMinimum);
    }

    @Override
    public String toString() {
        return "LockOptions[metricsGroup=" + metricsGroup + ", driftFactor=" + driftFactor + ", driftMinimum="
                + driftMinimum + ", maxRecheck=" + maxRecheck + ", fencingCounterTtl=" + fencingCounterTtl
                + (replicas > 0 ? ", replicas=" + replicas + " within " + replicaTimeout + " else " + onUnreplicated : "")
                + "]";
    }

    /** Builder of {@link LockOptions}; every setter checks its argument at once. */
    public static final class Builder {
        private String metricsGroup;
        private double driftFactor = DEFAULT_DRIFT_FACTOR;
        private Duration driftMinimum = DEFAULT_DRIFT_MINIMUM;
        private Duration maxRecheck = DEFAULT_MAX_RECHECK;
        private Duration fencingCounterTtl = DEFAULT_FENCING_COUNTER_TTL;
        private int replicas;
        private Duration replicaTimeout = Duration.ZERO;
        private UnreplicatedGrant onUnreplicated = UnreplicatedGrant.REFUSE;

        private Builder() {
        }

        /**
         * See {@link LockOptions#replicas()}: {@code replicas >= 1} must confirm each grant within {@code timeout}
         * (at least 1 ms, and shorter than the client's command timeout); {@code replicas(0, Duration.ZERO)} turns
         * the check off.
         */
        public Builder replicas(int replicas, Duration timeout) {
            this.replicaTimeout = Arguments.replicaTimeout(replicas, timeout);
            this.replicas = replicas;
            return this;
        }

        /** See {@link LockOptions#onUnreplicated()}. */
        public Builder onUnreplicated(UnreplicatedGrant policy) {
            this.onUnreplicated = java.util.Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** See {@link LockOptions#metricsGroup()}; a valid name (no braces, not blank). */
        public Builder metricsGroup(String group) {
            this.metricsGroup = Keys.validateName(group, "metricsGroup");
            return this;
        }

        /** See {@link LockOptions#driftFactor()}; {@code 0 <= factor < 0.5}. */
        public Builder driftFactor(double factor) {
            if (!(factor >= 0 && factor < 0.5)) {
                throw new IllegalArgumentException("driftFactor must be >= 0 and < 0.5, was " + factor);
            }
            this.driftFactor = factor;
            return this;
        }

        /** See {@link LockOptions#driftMinimum()}; {@code >= 0}. */
        public Builder driftMinimum(Duration minimum) {
            this.driftMinimum = Arguments.nonNegative(minimum, "driftMinimum");
            return this;
        }

        /** See {@link LockOptions#maxRecheck()}; at least 1 ms. */
        public Builder maxRecheck(Duration maxRecheck) {
            Arguments.toMillis(maxRecheck, "maxRecheck");
            this.maxRecheck = maxRecheck;
            return this;
        }

        /** See {@link LockOptions#fencingCounterTtl()}; at least 1 s, at most 3650 days. */
        public Builder fencingCounterTtl(Duration ttl) {
            Arguments.toMillis(ttl, "fencingCounterTtl");
            if (ttl.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("fencingCounterTtl must be at least 1 s, was " + ttl);
            }
            this.fencingCounterTtl = ttl;
            return this;
        }

        /** The options. */
        public LockOptions build() {
            return new LockOptions(this);
        }
    }
}
