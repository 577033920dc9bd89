package io.latchkey.ratelimit;

import io.latchkey.core.spi.Arguments;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * One limit of a {@link RateLimiter}: an algorithm with its quota. Immutable and validated on creation.
 *
 * <pre>{@code
 * RateLimit.fixedWindow(10, Duration.ofSeconds(1));        // 10 per aligned second, O(1) memory
 * RateLimit.slidingLog(100, Duration.ofMinutes(1));         // exactly 100 in ANY minute, O(n) memory
 * RateLimit.slidingWindow(100, Duration.ofMinutes(1));      // ~100 per minute, O(1) memory, approximate
 * RateLimit.tokenBucket(20, 5, Duration.ofSeconds(1));      // bursts of 20, refilled at 5 per second (GCRA)
 * }</pre>
 *
 * <p>Windows and periods are between 1 ms and 3650 days and are used with microsecond precision.
 */
public final class RateLimit {

    /** The algorithm behind a {@link RateLimit}; see docs/rate-limiting.md for how to choose. */
    public enum Algorithm {
        /** Counter per window aligned to server time (window start = now - now mod window). */
        FIXED_WINDOW("fw"),
        /** Exact: a sorted set of the admitted requests of the last window. */
        SLIDING_LOG("sl"),
        /** Approximate: current and previous aligned window counts, the previous one weighted by its overlap. */
        SLIDING_WINDOW("sw"),
        /** Token bucket as GCRA: one theoretical arrival time per key. */
        TOKEN_BUCKET("tb");

        final String code;

        Algorithm(String code) {
            this.code = code;
        }
    }

    static final Duration MAX_WINDOW = Duration.ofDays(3650);

    private final Algorithm algorithm;
    private final long limit;
    private final Duration window;
    private final long refillTokens;

    private RateLimit(Algorithm algorithm, long limit, Duration window, long refillTokens) {
        this.algorithm = algorithm;
        this.limit = limit;
        this.window = window;
        this.refillTokens = refillTokens;
    }

    /**
     * At most {@code limit} permits per window aligned to Redis server time. Up to {@code 2 × limit} can pass
     * around a window boundary.
     */
    public static RateLimit fixedWindow(long limit, Duration window) {
        return new RateLimit(Algorithm.FIXED_WINDOW, checkLimit(limit, "limit"), checkWindow(window, "window"), 0);
    }

    /** At most {@code limit} permits in any window of length {@code window} (exact); memory O(limit) per key. */
    public static RateLimit slidingLog(long limit, Duration window) {
        long n = checkLimit(limit, "limit");
        if (n > 1_000_000) {
            throw new IllegalArgumentException("limit of a sliding log must be at most 1000000 (it stores one entry"
                    + " per permit; use slidingWindow or tokenBucket for larger limits), was " + n);
        }
        return new RateLimit(Algorithm.SLIDING_LOG, n, checkWindow(window, "window"), 0);
    }

    /**
     * About {@code limit} permits per sliding window, estimated from two counters (O(1) memory); the estimate
     * assumes the previous window's requests were spread evenly (error bound in docs/rate-limiting.md).
     */
    public static RateLimit slidingWindow(long limit, Duration window) {
        return new RateLimit(Algorithm.SLIDING_WINDOW, checkLimit(limit, "limit"), checkWindow(window, "window"), 0);
    }

    /**
     * A bucket of {@code capacity} tokens refilled continuously with {@code refillTokens} per {@code period}
     * (GCRA). Admits at most {@code capacity + refillTokens × t / period} permits in any interval t.
     */
    public static RateLimit tokenBucket(long capacity, long refillTokens, Duration period) {
        long c = checkLimit(capacity, "capacity");
        long r = checkLimit(refillTokens, "refillTokens");
        checkWindow(period, "period");
        long periodMicros = micros(period);
        if (periodMicros / (double) r < 1.0) {
            throw new IllegalArgumentException("refillTokens per period must leave at least 1 µs between tokens, was "
                    + r + " per " + period);
        }
        if (periodMicros / (double) r * c > micros(MAX_WINDOW)) {
            throw new IllegalArgumentException("capacity × (period / refillTokens) must be at most 3650 days"
                    + " (the time to refill an empty bucket), was " + c + " × " + period + " / " + r);
        }
        return new RateLimit(Algorithm.TOKEN_BUCKET, c, period, r);
    }

    private static long checkLimit(long value, String parameter) {
        if (value <= 0) {
            throw new IllegalArgumentException(parameter + " must be > 0, was " + value);
        }
        // counters and permits stay exact as Lua doubles far beyond this
        if (value > 1L << 40) {
            throw new IllegalArgumentException(parameter + " must be at most 2^40, was " + value);
        }
        return value;
    }

    private static Duration checkWindow(Duration window, String parameter) {
        Arguments.positive(window, parameter);
        if (window.compareTo(MAX_WINDOW) > 0) {
            throw new IllegalArgumentException(parameter + " must be at most 3650 days, was " + window);
        }
        if (window.compareTo(Duration.ofMillis(1)) < 0) {
            throw new IllegalArgumentException(parameter + " must be at least 1 ms, was " + window);
        }
        return window;
    }

    static long micros(Duration d) {
        return d.getSeconds() * 1_000_000L + d.getNano() / 1_000;
    }

    /** The algorithm. */
    public Algorithm algorithm() {
        return algorithm;
    }

    /** The quota: permits per window, or the bucket capacity for a token bucket. */
    public long limit() {
        return limit;
    }

    /** The window; for a token bucket the refill period. */
    public Duration window() {
        return window;
    }

    /** For a token bucket, the tokens returned per {@link #window()}; for the window algorithms the limit. */
    public long refillTokens() {
        return algorithm == Algorithm.TOKEN_BUCKET ? refillTokens : limit;
    }

    /** The window in whole µs, as the script sees it. */
    long windowMicros() {
        return micros(window);
    }

    /** Suffix of this limit's Redis key: algorithm and window, so a changed quota applies to the stored state. */
    String keySuffix() {
        return algorithm.code + ":" + windowMicros();
    }

    /** A short policy name for headers, e.g. {@code fixed-1s}, {@code bucket-20}. */
    String policyName() {
        return switch (algorithm) {
            case FIXED_WINDOW -> "fixed-" + human(window);
            case SLIDING_LOG -> "log-" + human(window);
            case SLIDING_WINDOW -> "sliding-" + human(window);
            case TOKEN_BUCKET -> "bucket-" + limit + "-" + refillTokens + "per" + human(window);
        };
    }

    private static String human(Duration d) {
        if (d.toMillis() % 1000 != 0 || d.isZero()) {
            return d.toMillis() + "ms";
        }
        long s = d.getSeconds();
        if (s % 86400 == 0) {
            return s / 86400 + "d";
        }
        if (s % 3600 == 0) {
            return s / 3600 + "h";
        }
        if (s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }

    /** The window in seconds for the {@code RateLimit-Policy} header (rounded up, at least 1). */
    long windowSeconds() {
        Duration w = algorithm == Algorithm.TOKEN_BUCKET
                ? Duration.of((long) Math.ceil(windowMicros() / (double) refillTokens * limit), ChronoUnit.MICROS)
                : window;
        long s = w.getSeconds() + (w.getNano() > 0 ? 1 : 0);
        return Math.max(1, s);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RateLimit r && r.algorithm == algorithm && r.limit == limit && r.window.equals(window)
                && r.refillTokens == refillTokens;
    }

    @Override
    public int hashCode() {
        return Objects.hash(algorithm, limit, window, refillTokens);
    }

    @Override
    public String toString() {
        return algorithm == Algorithm.TOKEN_BUCKET
                ? "tokenBucket(capacity=" + limit + ", " + refillTokens + " per " + window + ")"
                : switch (algorithm) {
                    case FIXED_WINDOW -> "fixedWindow(";
                    case SLIDING_LOG -> "slidingLog(";
                    default -> "slidingWindow(";
                } + limit + " per " + window + ")";
    }
}
