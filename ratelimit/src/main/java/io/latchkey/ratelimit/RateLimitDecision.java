package io.latchkey.ratelimit;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;

/**
 * The answer of a {@link RateLimiter} to one request. Immutable.
 *
 * <p>{@link #retryAfter()} is rounded up to the microsecond: absent other traffic, a retry exactly that long after
 * the decision is admitted. {@link #remaining()}, {@link #limit()} and {@link #resetAfter()} describe the
 * {@linkplain #bindingLimit() binding limit}: the one that denied the request (the one with the longest wait), or,
 * when admitted, the one with the fewest permits left.
 */
public final class RateLimitDecision {

    /** What kind of answer this is. */
    public enum Outcome {
        /** Admitted by Redis; the permits were consumed. */
        ALLOWED,
        /** Denied by Redis (or by the local near-cache of a recent denial); nothing was consumed. */
        DENIED,
        /** Can never be admitted: more permits than a limit's quota or capacity. Waiting is pointless. */
        EXCEEDS_LIMIT,
        /** Redis could not be asked in time and the limiter fails open: admitted without counting. */
        FALLBACK_ALLOWED,
        /** Redis could not be asked in time and the limiter fails closed: denied. */
        FALLBACK_DENIED
    }

    private final Outcome outcome;
    private final long remaining;
    private final Duration retryAfter;
    private final Duration resetAfter;
    private final RateLimit bindingLimit;
    private final List<RateLimit> limits;
    private final long serverTimeMicros;

    RateLimitDecision(Outcome outcome, long remaining, Duration retryAfter, Duration resetAfter,
                      RateLimit bindingLimit, List<RateLimit> limits, long serverTimeMicros) {
        this.outcome = outcome;
        this.remaining = Math.max(0, remaining);
        this.retryAfter = isAllowed(outcome) ? Duration.ZERO : retryAfter;
        this.resetAfter = resetAfter;
        this.bindingLimit = bindingLimit;
        this.limits = limits;
        this.serverTimeMicros = serverTimeMicros;
    }

    private static boolean isAllowed(Outcome o) {
        return o == Outcome.ALLOWED || o == Outcome.FALLBACK_ALLOWED;
    }

    /** Whether the request may proceed (also true for {@link Outcome#FALLBACK_ALLOWED}). */
    public boolean allowed() {
        return isAllowed(outcome);
    }

    /** What kind of answer this is: from Redis, impossible, or a failure-policy fallback. */
    public Outcome outcome() {
        return outcome;
    }

    /** True for a request that no wait can admit ({@link Outcome#EXCEEDS_LIMIT}). */
    public boolean exceedsLimit() {
        return outcome == Outcome.EXCEEDS_LIMIT;
    }

    /** True when Redis was not asked successfully and the {@code FailurePolicy} answered. */
    public boolean isFallback() {
        return outcome == Outcome.FALLBACK_ALLOWED || outcome == Outcome.FALLBACK_DENIED;
    }

    /**
     * Permits still available under the binding limit after this decision (0 on fallbacks and for an
     * {@link Outcome#EXCEEDS_LIMIT}). For a sliding window counter this is the floor of the estimate.
     */
    public long remaining() {
        return remaining;
    }

    /** The binding limit's quota (permits per window, or the bucket capacity). */
    public long limit() {
        return bindingLimit.limit();
    }

    /**
     * How long to wait before the same request can be admitted: {@link Duration#ZERO} when allowed; rounded up
     * so a retry at exactly this moment is admitted (absent other traffic). For {@link Outcome#EXCEEDS_LIMIT}
     * the binding limit's window (no wait helps; check {@link #exceedsLimit()}); for
     * {@link Outcome#FALLBACK_DENIED} the limiter's configured fallback retry.
     */
    public Duration retryAfter() {
        return retryAfter;
    }

    /**
     * How long until the binding limit is fully replenished if nothing else is admitted (the fixed window's
     * end; the time until the newest logged request leaves a sliding log; until the bucket is full).
     */
    public Duration resetAfter() {
        return resetAfter;
    }

    /** The limit that decided: the denying one with the longest wait, or the admitting one with least left. */
    public RateLimit bindingLimit() {
        return bindingLimit;
    }

    /** The HTTP headers for this decision ({@code RateLimit}, {@code RateLimit-Policy}, {@code Retry-After}). */
    public RateLimitHeaders headers() {
        return RateLimitHeaders.of(this, limits);
    }

    /** The Redis TIME (µs) the script used; 0 for decisions made without Redis. */
    long serverTimeMicros() {
        return serverTimeMicros;
    }

    RateLimitDecision withRetryAfter(Duration newRetryAfter) {
        return new RateLimitDecision(outcome, remaining, newRetryAfter, resetAfter, bindingLimit, limits,
                serverTimeMicros);
    }

    static Duration micros(long us) {
        return Duration.of(Math.max(0, us), ChronoUnit.MICROS);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RateLimitDecision d && d.outcome == outcome && d.remaining == remaining
                && d.retryAfter.equals(retryAfter) && d.resetAfter.equals(resetAfter)
                && d.bindingLimit.equals(bindingLimit);
    }

    @Override
    public int hashCode() {
        return Objects.hash(outcome, remaining, retryAfter, resetAfter, bindingLimit);
    }

    @Override
    public String toString() {
        return "RateLimitDecision[" + outcome + ", remaining=" + remaining + ", limit=" + limit() + ", retryAfter="
                + retryAfter + ", resetAfter=" + resetAfter + ", binding=" + bindingLimit + "]";
    }
}
