package io.latchkey.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.Latchkey;
import io.latchkey.core.spi.Internals;
import io.latchkey.testing.RedisTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Property test: generated traces run through the real script and, at the server times the script reports, through
 * the reference model; decisions, remaining, retry-after and reset-after must be equal, and the admitted requests
 * must respect each algorithm's exact bound.
 */
@RedisTest
class ScriptVsModelTest {

    static final RateLimiterOptions PATIENT = RateLimiterOptions.builder().timeout(Duration.ofSeconds(5)).build();

    static List<List<RateLimit>> configs() {
        return List.of(
                List.of(RateLimit.fixedWindow(8, Duration.ofMillis(40))),
                List.of(RateLimit.slidingLog(8, Duration.ofMillis(40))),
                List.of(RateLimit.slidingWindow(8, Duration.ofMillis(40))),
                List.of(RateLimit.tokenBucket(8, 3, Duration.ofMillis(20))),
                List.of(RateLimit.tokenBucket(5, 7, Duration.ofMillis(30))),
                List.of(RateLimit.fixedWindow(4, Duration.ofMillis(15)), RateLimit.slidingLog(10, Duration.ofMillis(60)),
                        RateLimit.tokenBucket(6, 1, Duration.ofMillis(10)), RateLimit.slidingWindow(9, Duration.ofMillis(50))));
    }

    @Test
    void scriptAndModelAgreeOnGeneratedTraces(Latchkey latchkey) {
        Random random = new Random(20261125);
        int compared = 0;
        int denied = 0;
        int c = 0;
        for (List<RateLimit> limits : configs()) {
            RateLimiter limiter = RateLimiters.of(latchkey).limiter("trace" + c++, PATIENT,
                    limits.toArray(RateLimit[]::new));
            long window = limits.stream().mapToLong(RateLimit::windowMicros).min().orElseThrow();
            long maxPermits = Math.min(4, limits.stream().mapToLong(RateLimit::limit).min().orElseThrow());
            for (int trace = 0; trace < 2; trace++) {
                String key = "user:" + trace;
                ReferenceModel model = new ReferenceModel(limits);
                List<Traces.Admitted> admitted = new ArrayList<>();
                for (Traces.Step s : Traces.generate(random, 120, window, maxPermits)) {
                    if (s.gapMicros() > 0) {
                        // pacing only (the times compared are the server's own)
                        LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(s.gapMicros()));
                    }
                    RateLimitDecision d = limiter.tryAcquire(key, s.permits());
                    assertFalse(d.isFallback(), "Redis answered");
                    long now = d.serverTimeMicros();
                    ReferenceModel.Result expected = model.decide(now, s.permits());
                    assertEquals(model.toDecision(expected, now), d,
                            () -> limits + " at server time " + now + " for " + s.permits());
                    compared++;
                    if (d.allowed()) {
                        admitted.add(new Traces.Admitted(now, s.permits()));
                    } else {
                        denied++;
                    }
                }
                for (RateLimit l : limits) {
                    Traces.checkBound(admitted, l);
                }
                assertFalse(admitted.isEmpty());
            }
        }
        assertTrue(denied > 50, "the traces must exercise denials, got " + denied + " of " + compared);
    }

    @Test
    void deniedRequestsConsumeNothingAcrossLimits(Latchkey latchkey) {
        RateLimiter limiter = RateLimiters.of(latchkey).limiter("aon", PATIENT,
                RateLimit.fixedWindow(2, Duration.ofHours(1)), RateLimit.slidingLog(100, Duration.ofHours(1)),
                RateLimit.tokenBucket(100, 1, Duration.ofHours(1)), RateLimit.slidingWindow(100, Duration.ofHours(1)));
        assertTrue(limiter.tryAcquire("k").allowed());
        assertTrue(limiter.tryAcquire("k").allowed());
        for (int i = 0; i < 5; i++) {
            RateLimitDecision d = limiter.tryAcquire("k");
            assertFalse(d.allowed());
            assertEquals(RateLimit.fixedWindow(2, Duration.ofHours(1)), d.bindingLimit());
        }
        String log = Internals.of(latchkey).keys().key("aon", "k", limiter.limits().get(1).keySuffix());
        assertEquals(2L, Internals.of(latchkey).redis().<Long>callSync(cmd -> cmd.zcard(log)), "denials added no log entries");
        String bucket = Internals.of(latchkey).keys().key("aon", "k", limiter.limits().get(2).keySuffix());
        long tat = (long) Double.parseDouble(Internals.of(latchkey).redis().<String>callSync(cmd -> cmd.get(bucket)));
        long now = latchkey.serverTimeMicros();
        long hour = 3_600_000_000L; // µs per token
        assertTrue(tat - now <= 2 * hour && tat - now > hour,
                "the bucket holds exactly two requests' worth of TAT");
    }
}
