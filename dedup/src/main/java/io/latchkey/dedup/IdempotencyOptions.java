package io.latchkey.dedup;

import io.latchkey.core.FailurePolicy;
import io.latchkey.core.spi.Arguments;
import java.time.Duration;
import java.util.Objects;

/**
 * Immutable options of an {@link IdempotentExecutor}.
 *
 * <pre>{@code
 * IdempotencyOptions.builder()
 *         .ttl(Duration.ofHours(24))              // how long a completed result is replayed
 *         .lease(Duration.ofSeconds(30))          // how long a crashed owner blocks the key
 *         .waitForResult(Duration.ofSeconds(10))  // concurrent duplicates wait (default: rejected at once)
 *         .build();
 * }</pre>
 */
public final class IdempotencyOptions {

    /** What a caller does when another caller is executing the same key. */
    public enum OnInProgress {
        /** Throw {@link IdempotencyInProgressException} at once (the default). */
        REJECT,
        /** Wait (event-driven) for the result up to {@link IdempotencyOptions#maxWait()}, then throw. */
        WAIT
    }

    private static final IdempotencyOptions DEFAULTS = builder().build();

    private final Duration ttl;
    private final long ttlMillis;
    private final Duration lease;
    private final long leaseMillis;
    private final OnInProgress onInProgress;
    private final Duration maxWait;
    private final boolean removeClaimOnFailure;
    private final FailurePolicy failurePolicy;

    private IdempotencyOptions(Builder b) {
        this.ttl = b.ttl;
        this.ttlMillis = b.ttl.toMillis();
        this.lease = b.lease;
        this.leaseMillis = b.lease.toMillis();
        this.onInProgress = b.onInProgress;
        this.maxWait = b.maxWait;
        this.removeClaimOnFailure = b.removeClaimOnFailure;
        this.failurePolicy = b.failurePolicy;
    }

    /** TTL 24 h, lease 30 s, REJECT concurrent duplicates, remove the claim on failure, FAIL_CLOSED. */
    public static IdempotencyOptions defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** How long a completed result is kept and replayed. */
    public Duration ttl() {
        return ttl;
    }

    long ttlMillis() {
        return ttlMillis;
    }

    /** How long an in-progress claim lives without a heartbeat: a crashed owner blocks the key this long. */
    public Duration lease() {
        return lease;
    }

    long leaseMillis() {
        return leaseMillis;
    }

    /** REJECT or WAIT. */
    public OnInProgress onInProgress() {
        return onInProgress;
    }

    /** With WAIT, the longest a duplicate waits for the result. */
    public Duration maxWait() {
        return maxWait;
    }

    /**
     * Whether a failed action's claim is removed at once (the default: the next caller runs the action again);
     * otherwise it is left to expire after its lease, which holds retries off for that long.
     */
    public boolean removeClaimOnFailure() {
        return removeClaimOnFailure;
    }

    /** FAIL_CLOSED (throw when the key cannot be claimed) or FAIL_OPEN (run the action unprotected). */
    public FailurePolicy failurePolicy() {
        return failurePolicy;
    }

    @Override
    public String toString() {
        return "IdempotencyOptions[ttl=" + ttl + ", lease=" + lease + ", " + onInProgress
                + (onInProgress == OnInProgress.WAIT ? " " + maxWait : "") + ", removeClaimOnFailure="
                + removeClaimOnFailure + ", " + failurePolicy + "]";
    }

    /** Builder of {@link IdempotencyOptions}. */
    public static final class Builder {
        private Duration ttl = Duration.ofHours(24);
        private Duration lease = Duration.ofSeconds(30);
        private OnInProgress onInProgress = OnInProgress.REJECT;
        private Duration maxWait = Duration.ZERO;
        private boolean removeClaimOnFailure = true;
        private FailurePolicy failurePolicy = FailurePolicy.FAIL_CLOSED;

        private Builder() {
        }

        /** How long a completed result is kept and replayed (default 24 h; 1 ms to 3650 days). */
        public Builder ttl(Duration ttl) {
            Arguments.toMillis(ttl, "ttl");
            this.ttl = ttl;
            return this;
        }

        /**
         * The in-progress lease (default 30 s, at least 10 ms): renewed every third of it while the action runs, so
         * only a crashed owner lets it lapse, after which another caller may run the action.
         */
        public Builder lease(Duration lease) {
            Arguments.toMillis(lease, "lease");
            if (lease.toMillis() < 10) {
                throw new IllegalArgumentException("lease must be at least 10 ms, was " + lease);
            }
            this.lease = lease;
            return this;
        }

        /** Concurrent duplicates wait up to {@code maxWait} for the owner's result ({@code ZERO}: one check). */
        public Builder waitForResult(Duration maxWait) {
            this.maxWait = Arguments.nonNegative(maxWait, "maxWait");
            this.onInProgress = OnInProgress.WAIT;
            return this;
        }

        /** Concurrent duplicates get {@link IdempotencyInProgressException} at once (the default). */
        public Builder rejectInProgress() {
            this.onInProgress = OnInProgress.REJECT;
            this.maxWait = Duration.ZERO;
            return this;
        }

        /** See {@link IdempotencyOptions#removeClaimOnFailure()}. */
        public Builder removeClaimOnFailure(boolean remove) {
            this.removeClaimOnFailure = remove;
            return this;
        }

        /** FAIL_CLOSED (default) or FAIL_OPEN. */
        public Builder failurePolicy(FailurePolicy failurePolicy) {
            this.failurePolicy = Objects.requireNonNull(failurePolicy, "failurePolicy");
            return this;
        }

        /** The options. */
        public IdempotencyOptions build() {
            return new IdempotencyOptions(this);
        }
    }
}
