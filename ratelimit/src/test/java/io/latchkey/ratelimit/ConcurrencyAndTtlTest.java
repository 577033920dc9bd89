package io.latchkey.ratelimit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.Latchkey;
import io.latchkey.core.spi.Internals;
import io.latchkey.testing.RedisTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

@RedisTest
class ConcurrencyAndTtlTest {

    static final RateLimiterOptions PATIENT = RateLimiterOptions.builder().timeout(Duration.ofSeconds(5)).build();

    /** 16 threads hammer one key; the exact algorithms admit exactly their bound. */
    @Test
    void sixteenThreadsOnOneKeyAdmitExactlyTheBound(Latchkey latchkey) throws Exception {
        List<RateLimit> exact = List.of(RateLimit.slidingLog(100, Duration.ofHours(1)),
                RateLimit.tokenBucket(100, 1, Duration.ofHours(1)),
                RateLimit.fixedWindow(100, Duration.ofDays(1)));
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            for (RateLimit l : exact) {
                RateLimiter limiter = RateLimiters.of(latchkey).limiter("hot-" + l.algorithm(), PATIENT, l);
                AtomicLong admitted = new AtomicLong();
                List<Long> times = java.util.Collections.synchronizedList(new ArrayList<>());
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < 16; t++) {
                    futures.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < 15; i++) {
                            RateLimitDecision d = limiter.tryAcquire("shared");
                            assertFalse(d.isFallback());
                            if (d.allowed()) {
                                admitted.incrementAndGet();
                                times.add(d.serverTimeMicros());
                            }
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> f : futures) {
                    f.get();
                }
                long windows = times.stream().map(us -> us / l.windowMicros()).distinct().count();
                // a fixed window could straddle midnight UTC; everything else must be exactly the bound
                long bound = l.algorithm() == RateLimit.Algorithm.FIXED_WINDOW ? 100 * windows : 100;
                assertEquals(bound, admitted.get(), l + " with 240 attempts from 16 threads");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** After any call every key has a TTL, and keys of an idle limiter disappear. */
    @Test
    void everyKeyHasATtlAndIdleKeysDisappear(Latchkey latchkey) {
        RateLimiter limiter = RateLimiters.of(latchkey).limiter("ttl", PATIENT,
                RateLimit.fixedWindow(3, Duration.ofMillis(300)), RateLimit.slidingLog(5, Duration.ofMillis(400)),
                RateLimit.slidingWindow(4, Duration.ofMillis(200)), RateLimit.tokenBucket(4, 10, Duration.ofSeconds(1)));
        int allowed = 0;
        int mostKeys = 0;
        for (int i = 0; i < 12; i++) {
            RateLimitDecision d = limiter.tryAcquire("u" + (i % 3), 1 + i % 2);
            allowed += d.allowed() ? 1 : 0;
            List<String> keys = Internals.of(latchkey).redis().callSync(c -> c.keys("*"));
            mostKeys = Math.max(mostKeys, keys.size());
            for (String k : keys) {
                long pttl = Internals.of(latchkey).redis().<Long>callSync(c -> c.pttl(k));
                // 0 / -2: expiring or expired between KEYS and PTTL (short windows); -1 = a key without expiry
                assertTrue(pttl >= 0 || pttl == -2, k + " has PTTL " + pttl);
            }
        }
        assertTrue(allowed > 0);
        // short windows expire while the loop runs, so only a lower bound: one admitted call writes 4 keys
        assertTrue(mostKeys >= 4, "keys seen: " + mostKeys);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> Internals.of(latchkey).redis().<List<String>>callSync(c -> c.keys("*")).isEmpty());
    }

    /** The same key in different limiters and users never collide, and keys share one hash tag per user key. */
    @Test
    void keysShareOneHashTagPerUserKey(Latchkey latchkey) {
        RateLimiter limiter = RateLimiters.of(latchkey).limiter("tags", PATIENT,
                RateLimit.fixedWindow(3, Duration.ofMinutes(1)), RateLimit.tokenBucket(4, 1, Duration.ofMinutes(1)));
        assertTrue(limiter.tryAcquire("a:{b}").allowed());
        List<String> keys = Internals.of(latchkey).redis().callSync(c -> c.keys("*"));
        assertEquals(2, keys.size());
        for (String k : keys) {
            assertTrue(k.startsWith(latchkey.namespace() + ":{tags:a:%7Bb%7D}:"), k);
        }
    }
}
