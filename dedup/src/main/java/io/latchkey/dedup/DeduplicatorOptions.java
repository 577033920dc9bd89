package io.latchkey.dedup;

import io.latchkey.core.FailurePolicy;
import io.latchkey.core.spi.Arguments;
import java.time.Duration;
import java.util.Objects;

/**
 * Immutable options of a {@link Deduplicator}: storage strategy, failure policy and, for
 * {@link DedupStrategy#WINDOWED}, the bucket layout.
 *
 * <pre>{@code
 * DeduplicatorOptions.builder().strategy(DedupStrategy.EXACT).failurePolicy(FailurePolicy.FAIL_OPEN).build();
 * }</pre>
 */
public final class DeduplicatorOptions {

    /** Buckets covering the TTL when neither {@code buckets} nor {@code bucketWidth} is set. */
    public static final int DEFAULT_BUCKETS = 4;
    /** Most buckets covering the TTL (each check reads every bucket of the window). */
    public static final int MAX_BUCKETS = 64;

    /** Default of {@link #retries()}. */
    public static final int DEFAULT_RETRIES = 4;

    private static final DeduplicatorOptions DEFAULTS = builder().build();

    private final DedupStrategy strategy;
    private final FailurePolicy failurePolicy;
    private final int buckets;
    private final Duration bucketWidth;
    private final int retries;

    private DeduplicatorOptions(Builder b) {
        this.retries = b.retries;
        this.strategy = b.strategy;
        this.failurePolicy = b.failurePolicy;
        this.buckets = b.buckets;
        this.bucketWidth = b.bucketWidth;
    }

    /** WINDOWED, FAIL_CLOSED, {@value #DEFAULT_BUCKETS} buckets. */
    public static DeduplicatorOptions defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The storage strategy. */
    public DedupStrategy strategy() {
        return strategy;
    }

    /** What to answer when Redis cannot be asked. */
    public FailurePolicy failurePolicy() {
        return failurePolicy;
    }

    /** Buckets covering the TTL (WINDOWED), or 0 when {@link #bucketWidth()} was given instead. */
    public int buckets() {
        return buckets;
    }

    /** The bucket width (WINDOWED), or null when derived from {@link #buckets()}. */
    public Duration bucketWidth() {
        return bucketWidth;
    }

    /**
     * 0 when claims are never re-sent; otherwise a claim whose connection dropped before its reply is re-sent by
     * core with the same claim id, for up to one command timeout, before the failure policy applies (the re-sent
     * claim recognises its own earlier run). See {@link Builder#retries(int)}.
     */
    public int retries() {
        return retries;
    }

    @Override
    public String toString() {
        return "DeduplicatorOptions[" + strategy + ", " + failurePolicy + ", retries=" + retries
                + (bucketWidth != null ? ", bucketWidth=" + bucketWidth : ", buckets=" + buckets) + "]";
    }

    /** Builder of {@link DeduplicatorOptions}. */
    public static final class Builder {
        private DedupStrategy strategy = DedupStrategy.WINDOWED;
        private FailurePolicy failurePolicy = FailurePolicy.FAIL_CLOSED;
        private int buckets = DEFAULT_BUCKETS;
        private Duration bucketWidth;
        private int retries = DEFAULT_RETRIES;

        private Builder() {
        }

        /** WINDOWED (default) or EXACT. */
        public Builder strategy(DedupStrategy strategy) {
            this.strategy = Objects.requireNonNull(strategy, "strategy");
            return this;
        }

        /** FAIL_CLOSED (default: throw, so a consumer redelivers) or FAIL_OPEN (answer "first seen"). */
        public Builder failurePolicy(FailurePolicy failurePolicy) {
            this.failurePolicy = Objects.requireNonNull(failurePolicy, "failurePolicy");
            return this;
        }

        /**
         * WINDOWED: split the TTL into this many buckets (1..{@value #MAX_BUCKETS}, default
         * {@value #DEFAULT_BUCKETS}); the bucket width is {@code ttl / buckets}, rounded up to a millisecond, and an
         * id stays seen for between {@code ttl} and {@code ttl + width}. Clears {@link #bucketWidth(Duration)}.
         */
        public Builder buckets(int buckets) {
            if (buckets < 1 || buckets > MAX_BUCKETS) {
                throw new IllegalArgumentException("buckets must be in 1.." + MAX_BUCKETS + ", was " + buckets);
            }
            this.buckets = buckets;
            this.bucketWidth = null;
            return this;
        }

        /**
         * WINDOWED: the bucket width (at least 1 ms); the TTL is covered by {@code ceil(ttl / width)} buckets, at
         * most {@value #MAX_BUCKETS}. Clears {@link #buckets(int)}.
         */
        public Builder bucketWidth(Duration width) {
            Arguments.toMillis(width, "bucketWidth");
            this.bucketWidth = width;
            this.buckets = 0;
            return this;
        }

        /**
         * Whether a claim whose connection dropped before its reply is re-sent with the same claim id (0..10, default
         * {@value #DEFAULT_RETRIES}): 0 turns the re-send off; any other value leaves it to core, which re-sends with
         * a short backoff for up to one command timeout (the value no longer counts the re-sends). A timed-out claim
         * is not re-sent. With 0, FAIL_OPEN answers at once in an outage instead of after up to one command timeout.
         */
        public Builder retries(int retries) {
            if (retries < 0 || retries > 10) {
                throw new IllegalArgumentException("retries must be in 0..10, was " + retries);
            }
            this.retries = retries;
            return this;
        }

        /** The options. */
        public DeduplicatorOptions build() {
            return new DeduplicatorOptions(this);
        }
    }
}
