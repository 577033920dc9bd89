package io.latchkey.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Decoding the script's reply, choosing the binding limit and rendering headers (no Redis). */
class DecisionAndHeadersTest {

    static final RateLimit PER_SECOND = RateLimit.fixedWindow(10, Duration.ofSeconds(1));
    static final RateLimit PER_MINUTE = RateLimit.slidingLog(100, Duration.ofMinutes(1));
    static final List<RateLimit> LIMITS = List.of(PER_SECOND, PER_MINUTE);

    @Test
    void deniedDecisionBindsTheLimitWithTheLongestWait() {
        // code 0, now, then {remaining, retry µs, reset µs} per limit
        RateLimitDecision d = RedisRateLimiter.decode(List.of(0L, 5L, 0L, 400_001L, 400_001L, 3L, 2_500_000L,
                59_000_000L), LIMITS);
        assertFalse(d.allowed());
        assertEquals(PER_MINUTE, d.bindingLimit());
        assertEquals(100, d.limit());
        assertEquals(3, d.remaining());
        assertEquals(Duration.ofNanos(2_500_000_000L), d.retryAfter());
        Map<String, String> h = d.headers().asMap();
        assertEquals("\"fixed-1s\";q=10;w=1, \"log-1m\";q=100;w=60", h.get("RateLimit-Policy"));
        assertEquals("\"log-1m\";r=3;t=59", h.get("RateLimit"));
        assertEquals("3", h.get("Retry-After"), "2.5 s rounds up to 3");
    }

    @Test
    void allowedDecisionBindsTheLimitWithLeastLeftAndHasNoRetryAfter() {
        RateLimitDecision d = RedisRateLimiter.decode(List.of(1L, 5L, 2L, 0L, 300_000L, 50L, 0L, 60_000_000L),
                LIMITS);
        assertTrue(d.allowed());
        assertEquals(PER_SECOND, d.bindingLimit());
        assertEquals(2, d.remaining());
        assertEquals(Duration.ZERO, d.retryAfter());
        assertEquals("\"fixed-1s\";r=2;t=1", d.headers().rateLimit());
        assertTrue(d.headers().retryAfter().isEmpty());
    }

    @Test
    void tokenBucketPolicyWindowIsTheTimeToRefillTheBucket() {
        RateLimit bucket = RateLimit.tokenBucket(20, 5, Duration.ofSeconds(1));
        RateLimitDecision d = RedisRateLimiter.decode(List.of(1L, 5L, 19L, 0L, 200_000L), List.of(bucket));
        assertEquals("\"bucket-20-5per1s\";q=20;w=4", d.headers().rateLimitPolicy());
        assertEquals("\"bucket-20-5per1s\";r=19;t=1", d.headers().rateLimit());
    }

    @Test
    void nearCacheAnswersOnlyUntilTheRetryAfterAndOnlyForAsManyPermits() {
        DenialCache cache = new DenialCache(2);
        RateLimitDecision denial = RedisRateLimiter.decode(List.of(0L, 5L, 0L, 1_000_000L, 1_000_000L, 0L, 0L, 0L),
                LIMITS);
        long sent = 1_000_000_000L;
        cache.put("a", 2, denial, sent);
        assertEquals(null, cache.get("a", 1, sent + 1), "fewer permits may fit");
        RateLimitDecision hit = cache.get("a", 2, sent + 400_000_000L);
        assertEquals(Duration.ofMillis(600), hit.retryAfter(), "retry-after shrinks with time");
        assertEquals(null, cache.get("a", 2, sent + 1_000_000_000L), "never longer than the retry-after");
        cache.put("b", 1, denial, sent);
        cache.put("c", 1, denial, sent);
        cache.put("d", 1, denial, sent);
        assertTrue(cache.size() <= 2, "bounded");
    }
}
