package io.latchkey.lock.redlock;

import io.latchkey.core.spi.Arguments;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Options of a {@link Redlock} node group. Per-lock options (drift factor and minimum, metrics group, fencing counter
 * TTL) are {@link io.latchkey.lock.LockOptions}, given to {@link Redlock#lock(String, io.latchkey.lock.LockOptions)}.
 */
public final class RedlockOptions {

    /** Default {@link #nodeTimeout()}: 100 ms. */
    public static final Duration DEFAULT_NODE_TIMEOUT = Duration.ofMillis(100);
    /** Default first retry delay: 10 ms. */
    public static final Duration DEFAULT_RETRY_INITIAL = Duration.ofMillis(10);
    /** Default longest retry delay: 250 ms. */
    public static final Duration DEFAULT_RETRY_MAX = Duration.ofMillis(250);

    private static final RedlockOptions DEFAULTS = builder().build();

    private final Duration nodeTimeout;
    private final Duration retryInitial;
    private final Duration retryMax;
    private final List<String> nodeNames;

    private RedlockOptions(Builder b) {
        this.nodeTimeout = b.nodeTimeout;
        this.retryInitial = b.retryInitial;
        this.retryMax = b.retryMax;
        this.nodeNames = b.nodeNames;
    }

    /** The default options. */
    public static RedlockOptions defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * How long to wait for one node's answer before counting it as failed (its request may still land: it is then
     * released). Keep it a small fraction of the lease: the time spent waiting is subtracted from the validity.
     */
    public Duration nodeTimeout() {
        return nodeTimeout;
    }

    /** The first delay between acquire attempts (jittered, doubling). */
    public Duration retryInitial() {
        return retryInitial;
    }

    /** The longest delay between acquire attempts. */
    public Duration retryMax() {
        return retryMax;
    }

    /** The {@code node} tag of per-node meters, one per node; empty means the node index ("0", "1", ...). */
    public Optional<List<String>> nodeNames() {
        return Optional.ofNullable(nodeNames);
    }

    @Override
    public String toString() {
        return "RedlockOptions[nodeTimeout=" + nodeTimeout + ", retry=" + retryInitial + ".." + retryMax
                + (nodeNames != null ? ", nodeNames=" + nodeNames : "") + "]";
    }

    /** Builder of {@link RedlockOptions}; every setter checks its argument at once. */
    public static final class Builder {
        private Duration nodeTimeout = DEFAULT_NODE_TIMEOUT;
        private Duration retryInitial = DEFAULT_RETRY_INITIAL;
        private Duration retryMax = DEFAULT_RETRY_MAX;
        private List<String> nodeNames;

        private Builder() {
        }

        /** See {@link RedlockOptions#nodeTimeout()}; at least 1 ms. */
        public Builder nodeTimeout(Duration timeout) {
            Arguments.toMillis(timeout, "nodeTimeout");
            this.nodeTimeout = timeout;
            return this;
        }

        /**
         * Delays between acquire attempts: jittered exponential backoff from {@code initial} up to {@code max}
         * (each delay drawn from the upper half of {@code initial × 2^n}, so it never drops to zero).
         */
        public Builder retryBackoff(Duration initial, Duration max) {
            Arguments.toMillis(initial, "initial");
            Arguments.toMillis(max, "max");
            if (max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("max must be >= initial, was " + max + " < " + initial);
            }
            this.retryInitial = initial;
            this.retryMax = max;
            return this;
        }

        /** See {@link RedlockOptions#nodeNames()}; one valid metric tag value per node, in node order. */
        public Builder nodeNames(List<String> names) {
            Objects.requireNonNull(names, "nodeNames");
            for (String n : names) {
                Arguments.notBlank(n, "nodeNames element");
            }
            this.nodeNames = List.copyOf(names);
            return this;
        }

        /** The options. */
        public RedlockOptions build() {
            return new RedlockOptions(this);
        }
    }
}
