package io.latchkey.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.Latchkey;
import io.latchkey.testing.EmbeddedRedis;
import io.latchkey.testing.FaultProxy;
import io.latchkey.testing.RedisTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A limiter check whose connection is reset (TCP RST) after Redis ran it, before its reply arrived, has an unknown
 * outcome, not "not executed": core re-sends it with the same request id, and the sliding log recognises its own
 * entry, so the caller gets Redis's real decision and the log holds one entry, not two.
 */
@RedisTest(proxied = true)
class InFlightResetTest {

    @Test
    void aCheckResetInFlightIsResentAndCountedOnce(Latchkey viaProxy, FaultProxy proxy, EmbeddedRedis redis) {
        RateLimit limit = RateLimit.slidingLog(2, Duration.ofMinutes(5));
        // the limiter's own timeout (200 ms by default) would turn a slow reconnect into a fallback: this test is
        // about the classification, so give the re-send the whole command timeout
        RateLimiter limiter = RateLimiters.of(viaProxy).limiter("reset",
                RateLimiterOptions.builder().timeout(Duration.ofSeconds(5)).build(), limit);
        assertTrue(limiter.tryAcquire("warm-up").allowed()); // script cached: the reset hits the check itself
        long before = redis.commandCalls("evalsha");
        proxy.mode(FaultProxy.Mode.DROP_NEXT_REPLY_THEN_RESET);
        RateLimitDecision d = limiter.tryAcquire("user-1");
        assertTrue(redis.commandCalls("evalsha") > before, "the check reached Redis");
        assertFalse(d.isFallback(), "a reply lost to a reset is re-sent, not answered by the failure policy: " + d);
        assertTrue(d.allowed());
        try (Latchkey direct = Latchkey.connect(redis.uri())) {
            RateLimitDecision next = RateLimiters.of(direct).limiter("reset", limit).tryAcquire("user-1");
            assertTrue(next.allowed());
            assertEquals(0, next.remaining(), "exactly one entry was stored by the reset check and its re-send");
        }
    }
}
