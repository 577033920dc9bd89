package io.latchkey.core.spi;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one retry and re-check delay of Latchkey: exponential ({@code initial × 2^attempt}, capped at {@code max}) with
 * "equal jitter" — the delay is drawn uniformly from its upper half, so it never collapses to zero and waiters that
 * failed together spread out. Immutable and thread-safe. Every retry path uses it (Redlock attempts, idempotent
 * re-sends, background clean-up), and waits timed from a hint (the wait loop's fallback re-check, a rate limiter's
 * retry-after) add its {@link #jitter(long)}. Our own few lines rather than a dependency: no third-party type in any
 * signature, nothing for users to align.
 */
public final class Backoff {

    private final long initialNanos;
    private final long maxNanos;

    private Backoff(long initialNanos, long maxNanos) {
        this.initialNanos = initialNanos;
        this.maxNanos = maxNanos;
    }

    /** Delays from {@code initial} doubling up to {@code max}, jittered. */
    public static Backoff exponential(Duration initial, Duration max) {
        Arguments.positive(initial, "initial");
        Arguments.positive(max, "max");
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max must be >= initial, was " + max + " < " + initial);
        }
        return new Backoff(initial.toNanos(), max.toNanos());
    }

    /** The delay before retry number {@code attempt} (0 for the first retry), in nanoseconds. */
    public long delayNanos(int attempt) {
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt must be >= 0, was " + attempt);
        }
        long ceiling = initialNanos;
        for (int i = 0; i < attempt && ceiling < maxNanos; i++) {
            ceiling = ceiling > maxNanos / 2 ? maxNanos : ceiling * 2;
        }
        return halfJittered(Math.min(ceiling, maxNanos));
    }

    /** The delay before retry number {@code attempt}, in milliseconds (at least 1). */
    public long delayMillis(int attempt) {
        return Math.max(1, delayNanos(attempt) / 1_000_000L);
    }

    /** Uniform in {@code [ceiling/2, ceiling]}: never zero, never past the ceiling. */
    private static long halfJittered(long ceilingNanos) {
        long half = ceilingNanos / 2;
        return half + ThreadLocalRandom.current().nextLong(ceilingNanos - half + 1);
    }

    /**
     * A random extra delay in {@code [0, boundNanos]}, for waits timed from a hint (a holder's expiry, a
     * retry-after): added to the hint, it keeps callers told the same time from all arriving in the same instant.
     */
    public static long jitter(long boundNanos) {
        return boundNanos <= 0 ? 0 : ThreadLocalRandom.current().nextLong(boundNanos + 1);
    }

    @Override
    public String toString() {
        return "Backoff[" + Duration.ofNanos(initialNanos) + " doubling to " + Duration.ofNanos(maxNanos) + "]";
    }
}
