package io.latchkey.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.FailurePolicy;
import io.latchkey.core.Latchkey;
import io.latchkey.testing.EmbeddedRedis;
import io.latchkey.testing.RedisTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@RedisTest
class FailurePolicyTest {

    private static RateLimiterOptions options(FailurePolicy policy) {
        return RateLimiterOptions.builder().failurePolicy(policy).timeout(Duration.ofMillis(200)).build();
    }

    @Test
    void pausedNodeGetsQuickFallbacksCountedInMetrics(EmbeddedRedis redis) {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (Latchkey latchkey = Latchkey.builder().uri(redis.uri()).meterRegistry(meters).build()) {
            RateLimiter closed = RateLimiters.of(latchkey).limiter("closed", options(FailurePolicy.FAIL_CLOSED),
                    RateLimit.fixedWindow(5, Duration.ofSeconds(1)));
            RateLimiter open = RateLimiters.of(latchkey).limiter("open", options(FailurePolicy.FAIL_OPEN),
                    RateLimit.tokenBucket(5, 1, Duration.ofSeconds(1)));
            assertTrue(closed.tryAcquire("k").allowed());
            assertEquals(RateLimitDecision.Outcome.ALLOWED, open.tryAcquire("k").outcome());
            redis.pause();
            try {
                long start = System.nanoTime();
                RateLimitDecision denied = closed.tryAcquire("k");
                RateLimitDecision allowed = open.tryAcquire("k");
                long elapsedMs = (System.nanoTime() - start) / 1_000_000;
                assertEquals(RateLimitDecision.Outcome.FALLBACK_DENIED, denied.outcome());
                assertFalse(denied.allowed());
                assertEquals(Duration.ofSeconds(1), denied.retryAfter());
                assertEquals(RateLimitDecision.Outcome.FALLBACK_ALLOWED, allowed.outcome());
                assertTrue(allowed.allowed());
                // two decisions, each bounded by the 200 ms option rather than the command timeout
                assertTrue(elapsedMs < 2_000, "fallbacks took " + elapsedMs + " ms");
                // the async form completes normally with the fallback too
                assertEquals(RateLimitDecision.Outcome.FALLBACK_ALLOWED, open.tryAcquireAsync("k", 1).join().outcome());
            } finally {
                redis.resume();
            }
            assertEquals(1.0, meters.get("latchkey.ratelimit.decisions").tags("name", "closed", "result", "fallback")
                    .counter().count());
            assertEquals(2.0, meters.get("latchkey.ratelimit.decisions").tags("name", "open", "result", "fallback")
                    .counter().count());
            assertEquals(1.0, meters.get("latchkey.ratelimit.decisions").tags("name", "closed", "result", "allowed")
                    .counter().count());
            assertTrue(meters.get("latchkey.ratelimit.latency").tags("name", "closed").timer().count() >= 1);
            assertTrue(meters.getMeters().stream().noneMatch(m -> m.getId().getTags().stream()
                    .anyMatch(t -> t.getValue().equals("k"))), "no meter is tagged with the user key");
        }
    }

    @Test
    void anInterruptedCallerStillGetsItsDecisionAndKeepsTheInterrupt(EmbeddedRedis redis, Latchkey latchkey) {
        RateLimiter open = RateLimiters.of(latchkey).limiter("interrupted", options(FailurePolicy.FAIL_OPEN),
                RateLimit.fixedWindow(5, Duration.ofSeconds(1)));
        assertTrue(open.tryAcquire("k").allowed());
        redis.pause();
        try {
            Thread.currentThread().interrupt();
            // the wait is bounded by the 200 ms timeout, not cut short: the policy answers
            assertEquals(RateLimitDecision.Outcome.FALLBACK_ALLOWED, open.tryAcquire("k").outcome());
            assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");
        } finally {
            Thread.interrupted();
            redis.resume();
        }
        assertEquals(RateLimitDecision.Outcome.ALLOWED, open.tryAcquire("k").outcome());
    }

    @Test
    void killedNodeFallsBackToo(EmbeddedRedis redis, Latchkey latchkey) {
        RateLimiter closed = RateLimiters.of(latchkey).limiter("closed", options(FailurePolicy.FAIL_CLOSED),
                RateLimit.slidingLog(5, Duration.ofSeconds(1)));
        redis.kill();
        RateLimitDecision d = closed.tryAcquire("k");
        assertEquals(RateLimitDecision.Outcome.FALLBACK_DENIED, d.outcome());
    }
}
