package io.latchkey.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.Latchkey;
import io.latchkey.core.spi.Internals;
import io.latchkey.testing.RedisTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad configurations and arguments fail with messages naming the parameter, before any Redis call. */
@RedisTest
class BadInputTest {

    private static void rejects(String fragment, Executable call) {
        Throwable e = assertThrows(RuntimeException.class, call);
        assertTrue(e instanceof IllegalArgumentException || e instanceof NullPointerException, e.toString());
        assertTrue(String.valueOf(e.getMessage()).contains(fragment),
                "message \"" + e.getMessage() + "\" should mention " + fragment);
    }

    @Test
    void rateLimitsAreValidated() {
        rejects("limit must be > 0", () -> RateLimit.fixedWindow(0, Duration.ofSeconds(1)));
        rejects("limit must be > 0", () -> RateLimit.slidingWindow(-1, Duration.ofSeconds(1)));
        rejects("window", () -> RateLimit.slidingLog(10, null));
        rejects("window must be > 0", () -> RateLimit.fixedWindow(10, Duration.ZERO));
        rejects("window must be at least 1 ms", () -> RateLimit.fixedWindow(10, Duration.ofNanos(999_999)));
        rejects("window must be at most 3650 days", () -> RateLimit.fixedWindow(10, Duration.ofDays(3651)));
        rejects("limit of a sliding log must be at most 1000000", () -> RateLimit.slidingLog(2_000_000, Duration.ofSeconds(1)));
        rejects("capacity must be > 0", () -> RateLimit.tokenBucket(0, 1, Duration.ofSeconds(1)));
        rejects("refillTokens must be > 0", () -> RateLimit.tokenBucket(5, 0, Duration.ofSeconds(1)));
        rejects("period must be > 0", () -> RateLimit.tokenBucket(5, 1, Duration.ofSeconds(-1)));
        rejects("at least 1 µs between tokens", () -> RateLimit.tokenBucket(5, 2_000, Duration.ofMillis(1)));
        rejects("time to refill an empty bucket", () -> RateLimit.tokenBucket(1_000_000, 1, Duration.ofDays(3650)));
        assertEquals(RateLimit.fixedWindow(3, Duration.ofSeconds(1)), RateLimit.fixedWindow(3, Duration.ofMillis(1000)));
    }

    @Test
    void limitersAndCallsAreValidated(Latchkey latchkey) {
        {
            RateLimiters rl = RateLimiters.of(latchkey);
            RateLimit ok = RateLimit.fixedWindow(3, Duration.ofSeconds(1));
            rejects("name", () -> rl.limiter(null, ok));
            rejects("name must not be blank", () -> rl.limiter(" ", ok));
            rejects("must not contain '{'", () -> rl.limiter("a{b", ok));
            rejects("at least one RateLimit", () -> rl.limiter("x"));
            rejects("limits[1]", () -> rl.limiter("x", ok, null));
            rejects("same window", () -> rl.limiter("x", ok, RateLimit.fixedWindow(5, Duration.ofSeconds(1))));
            rejects("options", () -> rl.limiter("x", (RateLimiterOptions) null, ok));
            rejects("timeout must be > 0", () -> RateLimiterOptions.builder().timeout(Duration.ZERO));
            rejects("timeout must be at most 1 minute", () -> RateLimiterOptions.builder().timeout(Duration.ofHours(1)));
            rejects("nearCache must be >= 0", () -> RateLimiterOptions.builder().nearCache(-1));
            rejects("failurePolicy", () -> RateLimiterOptions.builder().failurePolicy(null));
            RateLimiter limiter = rl.limiter("x", ok);
            rejects("key", () -> limiter.tryAcquire(null));
            rejects("key must not be empty", () -> limiter.tryAcquire(""));
            rejects("key must be at most", () -> limiter.tryAcquire("k".repeat(2000)));
            rejects("permits must be > 0", () -> limiter.tryAcquire("k", 0));
            rejects("permits must be > 0", () -> limiter.tryAcquireAsync("k", -3));
            rejects("maxWait must be >= 0", () -> limiter.acquire("k", 1, Duration.ofSeconds(-1)));
            // more permits than the limit: a distinct answer, without Redis, and no wait
            RateLimitDecision never = limiter.tryAcquire("k", 4);
            assertEquals(RateLimitDecision.Outcome.EXCEEDS_LIMIT, never.outcome());
            assertTrue(never.exceedsLimit() && !never.allowed());
            assertTrue(never.headers().retryAfter().isEmpty());
            assertEquals(0L, Internals.of(latchkey).redis().<Long>callSync(c -> c.dbsize()), "nothing reached Redis");
        }
    }
}
