package io.latchkey.ratelimit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.Latchkey;
import io.latchkey.core.spi.Internals;
import io.latchkey.testing.EmbeddedRedis;
import io.latchkey.testing.RedisTest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bytes per user key per algorithm ({@code MEMORY USAGE ... SAMPLES 0}); the figures in docs/rate-limiting.md. */
@RedisTest
class MemoryUsageTest {

    static final RateLimiterOptions PATIENT = RateLimiterOptions.builder().timeout(Duration.ofSeconds(5)).build();

    private static long bytes(EmbeddedRedis redis, Latchkey latchkey, RateLimiter limiter, String userKey) {
        String key = Internals.of(latchkey).keys().key(limiter.name(), userKey, limiter.limits().get(0).keySuffix());
        return ((Number) redis.command("MEMORY", "USAGE", key, "SAMPLES", "0")).longValue();
    }

    private long measure(EmbeddedRedis redis, Latchkey latchkey, RateLimit limit, long requests) {
        RateLimiter limiter = RateLimiters.of(latchkey).limiter("mem-" + limit.algorithm() + "-" + requests, PATIENT,
                limit);
        String userKey = "user:1234567";
        for (long i = 0; i < requests; i++) {
            assertTrue(limiter.tryAcquire(userKey).allowed());
        }
        return bytes(redis, latchkey, limiter, userKey);
    }

    @Test
    void bytesPerKeyPerAlgorithm(EmbeddedRedis redis, Latchkey latchkey) {
        Map<String, Long> figures = new LinkedHashMap<>();
        figures.put("fixedWindow(100, 1m), 1 request", measure(redis, latchkey,
                RateLimit.fixedWindow(100, Duration.ofMinutes(1)), 1));
        figures.put("fixedWindow(100, 1m), 100 requests", measure(redis, latchkey,
                RateLimit.fixedWindow(100, Duration.ofMinutes(1)), 100));
        figures.put("slidingWindow(100, 1m), 100 requests", measure(redis, latchkey,
                RateLimit.slidingWindow(100, Duration.ofMinutes(1)), 100));
        figures.put("tokenBucket(100, 10/s), 100 requests", measure(redis, latchkey,
                RateLimit.tokenBucket(100, 10, Duration.ofSeconds(1)), 100));
        figures.put("slidingLog(10, 1m), 10 requests", measure(redis, latchkey,
                RateLimit.slidingLog(10, Duration.ofMinutes(1)), 10));
        figures.put("slidingLog(100, 1m), 1 request", measure(redis, latchkey,
                RateLimit.slidingLog(100, Duration.ofMinutes(1)), 1));
        figures.put("slidingLog(100, 1m), 100 requests", measure(redis, latchkey,
                RateLimit.slidingLog(100, Duration.ofMinutes(1)), 100));
        figures.put("slidingLog(1000, 1m), 1000 requests", measure(redis, latchkey,
                RateLimit.slidingLog(1000, Duration.ofMinutes(1)), 1000));
        System.out.println("MEMORY USAGE (redis " + redis.version() + "), bytes per user key:");
        figures.forEach((k, v) -> System.out.println("  " + k + ": " + v));
        long fixed = figures.get("fixedWindow(100, 1m), 100 requests");
        long log100 = figures.get("slidingLog(100, 1m), 100 requests");
        long log1000 = figures.get("slidingLog(1000, 1m), 1000 requests");
        assertTrue(fixed < 250, "a fixed window is O(1): " + fixed);
        assertTrue(figures.get("tokenBucket(100, 10/s), 100 requests") < 250);
        assertTrue(figures.get("slidingWindow(100, 1m), 100 requests") < 250);
        assertTrue(log100 > 10 * fixed, "a full sliding log of 100 costs far more than a counter: " + log100);
        assertTrue(log1000 > 5 * log100, "a sliding log grows with n: " + log1000 + " vs " + log100);
    }
}
