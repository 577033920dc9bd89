package io.latchkey.ratelimit;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A named rate limiter with one or more {@link RateLimit}s, applied per user key (a user id, an API key, an IP).
 * Each decision is one Redis script that checks every limit and consumes from all of them or from none: a denied
 * request consumes nothing. Thread-safe; create it once and share it.
 *
 * <pre>{@code
 * RateLimiter api = RateLimiters.of(latchkey).limiter("api",
 *         RateLimit.slidingLog(100, Duration.ofMinutes(1)), RateLimit.fixedWindow(10, Duration.ofSeconds(1)));
 * RateLimitDecision d = api.tryAcquire("user:123");
 * if (!d.allowed()) { respond(429, d.headers().asMap()); }
 * }</pre>
 */
public interface RateLimiter {

    /** The limiter's name (also the bounded {@code name} tag of its metrics). */
    String name();

    /** The limits, in the order given. */
    List<RateLimit> limits();

    /** One permit for {@code key}, no waiting. */
    RateLimitDecision tryAcquire(String key);

    /**
     * {@code permits} for {@code key}, no waiting. More permits than a limit allows gives
     * {@link RateLimitDecision.Outcome#EXCEEDS_LIMIT} without asking Redis. When Redis does not answer within the
     * limiter's timeout, the failure policy answers. Never throws for a Redis failure.
     *
     * @throws IllegalArgumentException if {@code key} is empty or too long, or {@code permits <= 0}
     */
    RateLimitDecision tryAcquire(String key, long permits);

    /** As {@link #tryAcquire(String, long)}, asynchronously; the future never completes exceptionally. */
    CompletableFuture<RateLimitDecision> tryAcquireAsync(String key, long permits);

    /**
     * Waits up to {@code maxWait} for {@code permits}: tries, and if denied sleeps (without polling) for the
     * decision's retry-after before trying again. Returns false at once when the wait would exceed
     * {@code maxWait} or the request can never be admitted. {@code Duration.ZERO} means one attempt.
     *
     * @return whether the permits were acquired (a FAIL_OPEN fallback counts as acquired)
     * @throws InterruptedException if interrupted while waiting (an attempt in flight may still consume permits)
     */
    boolean acquire(String key, long permits, Duration maxWait) throws InterruptedException;

    /** As {@link #acquire}, asynchronously; cancelling the future stops further attempts. */
    CompletableFuture<Boolean> acquireAsync(String key, long permits, Duration maxWait);
}
