package io.latchkey.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.Latchkey;
import io.latchkey.core.spi.Internals;
import io.latchkey.testing.EmbeddedRedis;
import io.latchkey.testing.FaultProxy;
import io.latchkey.testing.RedisTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

@RedisTest(proxied = true)
class WaitingAndNearCacheTest {

    static final RateLimiterOptions PATIENT = RateLimiterOptions.builder().timeout(Duration.ofSeconds(5)).build();

    @Test
    void acquireWaitsForTheRetryAfterThenSucceeds(Latchkey latchkey) throws Exception {
        RateLimiter limiter = RateLimiters.of(latchkey).limiter("wait", PATIENT,
                RateLimit.tokenBucket(2, 1, Duration.ofMillis(150)));
        long start = System.nanoTime(); // before the first call: the refill is counted from its server time
        assertTrue(limiter.acquire("k", 2, Duration.ZERO));
        assertFalse(limiter.acquire("k", 1, Duration.ZERO), "ZERO is one attempt");
        assertTrue(limiter.acquire("k", 1, Duration.ofSeconds(5)));
        long waitedMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(waitedMs >= 149, "waited for the refill, " + waitedMs + " ms");
        // a wait longer than maxWait is refused at once
        assertFalse(limiter.acquire("k", 2, Duration.ofMillis(50)));
        // a request above the capacity never waits
        assertFalse(limiter.acquireAsync("k", 3, Duration.ofHours(1)).get(5, TimeUnit.SECONDS));
    }

    @Test
    void asyncWaitersShareTheRefillsFairlyEnough(Latchkey latchkey) throws Exception {
        RateLimiter limiter = RateLimiters.of(latchkey).limiter("async", PATIENT,
                RateLimit.slidingLog(3, Duration.ofMillis(200)));
        CompletableFuture<?>[] waits = new CompletableFuture<?>[6];
        for (int i = 0; i < waits.length; i++) {
            waits[i] = limiter.acquireAsync("k", 1, Duration.ofSeconds(10));
        }
        CompletableFuture.allOf(waits).get(15, TimeUnit.SECONDS);
        for (CompletableFuture<?> w : waits) {
            assertEquals(Boolean.TRUE, w.get());
        }
    }

    @Test
    void interruptedAcquireThrowsAndStopsRetrying(Latchkey latchkey) throws Exception {
        RateLimiter limiter = RateLimiters.of(latchkey).limiter("interrupt", PATIENT,
                RateLimit.fixedWindow(1, Duration.ofHours(1)));
        assertTrue(limiter.tryAcquire("k").allowed());
        // the window ends within maxWait, so the caller sleeps until the interrupt
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        CountDownLatch waiting = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            waiting.countDown();
            try {
                limiter.acquire("k", 1, Duration.ofHours(2));
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        t.start();
        waiting.await();
        t.interrupt();
        t.join(5_000);
        assertFalse(t.isAlive());
        assertTrue(thrown.get() instanceof InterruptedException, String.valueOf(thrown.get()));
    }

    @Test
    void nearCacheAnswersDenialsLocallyUntilTheirRetryAfter(EmbeddedRedis redis, FaultProxy proxy) {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (Latchkey latchkey = Latchkey.builder().uri(proxy.uri()).meterRegistry(meters).build()) {
            RateLimiter limiter = RateLimiters.of(latchkey).limiter("near",
                    RateLimiterOptions.builder().timeout(Duration.ofSeconds(5)).nearCache(100).build(),
                    RateLimit.fixedWindow(1, Duration.ofHours(1)));
            assertTrue(limiter.tryAcquire("k").allowed());
            RateLimitDecision first = limiter.tryAcquire("k");
            assertFalse(first.allowed());
            // Redis is unreachable now: a cached denial still answers, a fresh key falls back
            proxy.mode(FaultProxy.Mode.BLACKHOLE);
            RateLimitDecision cached = limiter.tryAcquire("k");
            assertEquals(RateLimitDecision.Outcome.DENIED, cached.outcome());
            assertTrue(cached.retryAfter().compareTo(first.retryAfter()) <= 0, "never longer than the first");
            assertEquals(1.0, meters.get("latchkey.ratelimit.nearcache.hits").counter().count());
            proxy.mode(FaultProxy.Mode.PASS);
        }
    }

    @Test
    void nearCacheNeverOutlivesTheRetryAfter(Latchkey latchkey) {
        RateLimiter limiter = RateLimiters.of(latchkey).limiter("near2",
                RateLimiterOptions.builder().timeout(Duration.ofSeconds(5)).nearCache(100).build(),
                RateLimit.tokenBucket(1, 1, Duration.ofMillis(100)));
        assertTrue(limiter.tryAcquire("k").allowed());
        assertFalse(limiter.tryAcquire("k").allowed());
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(5))
                .until(() -> limiter.tryAcquire("k").allowed());
    }

    @Test
    void replayedSlidingLogCallIsCountedOnce(FaultProxy proxy, Latchkey latchkey) {
        RateLimiter limiter = RateLimiters.of(latchkey).limiter("replay", PATIENT,
                RateLimit.slidingLog(5, Duration.ofHours(1)), RateLimit.fixedWindow(100, Duration.ofDays(1)));
        assertTrue(limiter.tryAcquire("k").allowed());
        // the next script runs on the server, its reply is lost and Lettuce re-sends it: it runs twice
        proxy.mode(FaultProxy.Mode.DROP_NEXT_REPLY_THEN_CLOSE);
        RateLimitDecision d = limiter.tryAcquire("k", 2);
        assertTrue(d.allowed(), d.toString());
        String log = Internals.of(latchkey).keys().key("replay", "k", limiter.limits().get(0).keySuffix());
        assertEquals(3L, Internals.of(latchkey).redis().<Long>callSync(c -> c.zcard(log)), "the replay added no entries");
        String window = Internals.of(latchkey).keys().key("replay", "k", limiter.limits().get(1).keySuffix());
        assertEquals("3", Internals.of(latchkey).redis().<String>callSync(c -> c.hget(window, "c")),
                "a sliding log in the limiter lets the replay be recognised for the counters too");
    }
}
