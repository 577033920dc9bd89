package io.latchkey.ratelimit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.Latchkey;
import io.latchkey.testing.RedisTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Names and keys that UTF-8 would merge are refused; huge and tiny durations get clear answers, never overflow. */
@RedisTest
class InputRulesTest {

    @Test
    void keysWithUnpairedSurrogatesAreRefusedInsteadOfSharingOneCounter(Latchkey latchkey) {
        RateLimiter limiter = RateLimiters.of(latchkey).limiter("api", RateLimit.fixedWindow(1, Duration.ofMinutes(1)));
        // both would be stored as "user?": one user's requests would use up the other's limit
        for (String key : new String[] {"user\ud800", "user\udfff"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> limiter.tryAcquire(key));
            assertTrue(e.getMessage().startsWith("key must be well-formed UTF-16"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> limiter.tryAcquireAsync(key, 1));
            assertThrows(IllegalArgumentException.class, () -> limiter.acquire(key, 1, Duration.ZERO));
        }
        assertThrows(IllegalArgumentException.class, () -> RateLimiters.of(latchkey).limiter("api\ud800",
                RateLimit.fixedWindow(1, Duration.ofMinutes(1))));
        assertTrue(limiter.tryAcquire("user?").allowed(), "'?' itself is an ordinary key");
        assertTrue(limiter.tryAcquire("user\ud83d\ude00").allowed(), "a surrogate pair is an ordinary key");
    }

    @Test
    void hugeWaitsMeanForeverAndTinyTimeoutsAreRefused(Latchkey latchkey) throws Exception {
        RateLimiter limiter = RateLimiters.of(latchkey).limiter("wait", RateLimit.fixedWindow(1, Duration.ofMinutes(1)));
        assertTrue(limiter.acquire("k", 1, Duration.ofMillis(Long.MAX_VALUE)));
        assertTrue(limiter.acquireAsync("j", 1, Duration.ofSeconds(Long.MAX_VALUE)).get());
        assertFalse(limiter.acquire("k", 2, Duration.ofSeconds(Long.MAX_VALUE)), "more than the limit: never");
        assertThrows(IllegalArgumentException.class, () -> RateLimiterOptions.builder().timeout(Duration.ofNanos(1)));
        assertThrows(IllegalArgumentException.class,
                () -> RateLimiterOptions.builder().timeout(Duration.ofMillis(Long.MAX_VALUE)));
        assertTrue(RateLimiterOptions.builder().fallbackRetryAfter(Duration.ofSeconds(Long.MAX_VALUE)).build()
                .fallbackRetryAfter().toNanos() > 0, "clamped, no overflow");
    }
}
