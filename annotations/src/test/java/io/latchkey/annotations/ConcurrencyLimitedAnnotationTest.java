package io.latchkey.annotations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.Latchkey;
import io.latchkey.semaphore.Semaphores;
import io.latchkey.testing.RedisTest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

@RedisTest
class ConcurrencyLimitedAnnotationTest {

    interface Renderer {
        @ConcurrencyLimited(name = "render", permits = 3, lease = "10s", maxWait = "30s")
        int render(int page);

        @ConcurrencyLimited(name = "exports", permits = 1, lease = "10s")
        CompletionStageHolder export(CompletableFuture<String> work);

        @ConcurrencyLimited(name = "exports", permits = 1, lease = "10s")
        CompletableFuture<String> exportAsync(CompletableFuture<String> work);
    }

    /** A plain value type: the method is synchronous. */
    record CompletionStageHolder(String value) {
    }

    static final class RendererImpl implements Renderer {
        final AtomicInteger current = new AtomicInteger();
        final AtomicInteger max = new AtomicInteger();
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public int render(int page) {
            int now = current.incrementAndGet();
            max.accumulateAndGet(now, Math::max);
            calls.incrementAndGet();
            for (int i = 0; i < 50; i++) {
                Thread.yield(); // stay inside long enough for callers to overlap
            }
            current.decrementAndGet();
            return page;
        }

        @Override
        public CompletionStageHolder export(CompletableFuture<String> work) {
            return new CompletionStageHolder(work.join());
        }

        @Override
        public CompletableFuture<String> exportAsync(CompletableFuture<String> work) {
            return work;
        }
    }

    @Test
    void observedConcurrencyNeverExceedsThePermits(Latchkey latchkey) throws Exception {
        RendererImpl impl = new RendererImpl();
        Renderer renderer = LatchkeyProxies.of(latchkey).proxy(Renderer.class, impl);
        int threads = 12;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int page = t;
                results.add(pool.submit(() -> {
                    start.await();
                    int sum = 0;
                    for (int i = 0; i < 5; i++) {
                        sum += renderer.render(page);
                    }
                    return sum;
                }));
            }
            start.countDown();
            for (int t = 0; t < threads; t++) {
                assertEquals(5 * t, results.get(t).get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(threads * 5, impl.calls.get());
        assertTrue(impl.max.get() <= 3, "observed " + impl.max.get() + " concurrent calls with 3 permits");
        assertTrue(impl.max.get() >= 1);
        assertEquals(3, Semaphores.of(latchkey).semaphore("render", 3).availablePermits(), "all permits returned");
    }

    @Test
    void noFreePermitRejectsAndAsyncHoldsThePermitUntilCompletion(Latchkey latchkey) throws Exception {
        Renderer renderer = LatchkeyProxies.of(latchkey).proxy(Renderer.class, new RendererImpl());
        var exports = Semaphores.of(latchkey).semaphore("exports", 1);
        CompletableFuture<String> work = new CompletableFuture<>();
        CompletableFuture<String> running = renderer.exportAsync(work);
        assertEquals(0, exports.availablePermits(), "held while the future runs");
        ConcurrencyLimitExceededException e = assertThrows(ConcurrencyLimitExceededException.class,
                () -> renderer.export(CompletableFuture.completedFuture("x")));
        assertEquals("exports", e.name());
        assertEquals(1, e.permits());
        ExecutionException async = assertThrows(ExecutionException.class,
                () -> renderer.exportAsync(CompletableFuture.completedFuture("y")).get(10, TimeUnit.SECONDS));
        assertTrue(async.getCause() instanceof ConcurrencyLimitExceededException);
        assertFalse(running.isDone());
        work.complete("report.csv");
        assertEquals("report.csv", running.get(10, TimeUnit.SECONDS));
        assertEquals(1, exports.availablePermits(), "returned before the caller's future completed");
        assertEquals("x", renderer.export(CompletableFuture.completedFuture("x")).value());
    }
}
