package io.latchkey.semaphore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.Latchkey;
import io.latchkey.core.ReleaseResult;
import io.latchkey.testing.EmbeddedRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** 16 threads on a semaphore of 3: never more than 3 holders, 3 reached, and Redis reports the same peak. */
class SemaphoreConcurrencyTest {

    private static final int THREADS = 16;
    private static final int LIMIT = 3;
    private static final int ROUNDS = 15;

    @Test
    void neverMoreHoldersThanTheLimitAndThePeakIsReportedExactly() throws Exception {
        try (EmbeddedRedis redis = EmbeddedRedis.start();
             Latchkey latchkey = Latchkey.connect(redis.uri())) {
            DistributedSemaphore s = Semaphores.of(latchkey).semaphore("uploads", LIMIT);
            AtomicInteger inside = new AtomicInteger();
            AtomicInteger observedPeak = new AtomicInteger();
            AtomicInteger acquisitions = new AtomicInteger();
            // the first holders stay until three are inside at once, so the limit is provably reached
            CountDownLatch limitReached = new CountDownLatch(1);
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<?>> workers = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    workers.add(pool.submit(() -> {
                        go.await();
                        for (int i = 0; i < ROUNDS; i++) {
                            try (Permit p = s.tryAcquire(Duration.ofSeconds(30), Duration.ofSeconds(30))
                                    .orElseThrow(() -> new AssertionError("no permit within 30 s"))) {
                                int now = inside.incrementAndGet();
                                observedPeak.accumulateAndGet(now, Math::max);
                                if (now == LIMIT) {
                                    limitReached.countDown();
                                }
                                limitReached.await(5, TimeUnit.SECONDS);
                                acquisitions.incrementAndGet();
                                assertTrue(p.isValid());
                                inside.decrementAndGet();
                            }
                        }
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> w : workers) {
                    w.get(90, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(THREADS * ROUNDS, acquisitions.get());
            assertEquals(LIMIT, observedPeak.get(), "the observed peak reaches the limit and never exceeds it");
            SemaphoreStats stats = s.stats();
            assertEquals(observedPeak.get(), stats.peak(), "reported peak equals the observed peak");
            assertEquals(0, stats.holders());
            assertEquals(LIMIT, s.availablePermits());
        }
    }

    @Test
    void manyAsyncWaitersAreServedWithoutBlockingAThreadOrExceedingTheLimit() throws Exception {
        try (EmbeddedRedis redis = EmbeddedRedis.start();
             Latchkey latchkey = Latchkey.connect(redis.uri())) {
            DistributedSemaphore s = Semaphores.of(latchkey).semaphore("async", 2);
            AtomicInteger inside = new AtomicInteger();
            AtomicInteger observedPeak = new AtomicInteger();
            List<CompletableFuture<ReleaseResult>> done = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                done.add(s.tryAcquireAsync(Duration.ofSeconds(30), Duration.ofSeconds(60)).thenCompose(p -> {
                    Permit permit = p.orElseThrow(() -> new AssertionError("no permit within 60 s"));
                    observedPeak.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    inside.decrementAndGet();
                    return permit.releaseAsync(); // callbacks run on Redis I/O threads: never block there
                }));
            }
            CompletableFuture.allOf(done.toArray(new CompletableFuture<?>[0])).get(90, TimeUnit.SECONDS);
            assertTrue(observedPeak.get() <= 2, "observed " + observedPeak.get());
            SemaphoreStats stats = s.stats();
            assertTrue(stats.peak() <= 2 && stats.peak() >= observedPeak.get(), "reported " + stats);
            assertEquals(0, stats.holders());
        }
    }
}
