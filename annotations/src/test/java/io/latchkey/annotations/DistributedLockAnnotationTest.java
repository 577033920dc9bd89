package io.latchkey.annotations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.Latchkey;
import io.latchkey.lock.Locks;
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
class DistributedLockAnnotationTest {

    interface Counter {
        @DistributedLock(name = "counter", lease = "10s", maxWait = "30s")
        void increment();

        @DistributedLock(name = "order:{orderId}", lease = "10s")
        String ship(@Key("orderId") String orderId, Runnable work) throws InterruptedException;

        @DistributedLock(name = "job", key = "{0}", lease = "10s", maxWait = "0s")
        CompletableFuture<String> runAsync(String job, CompletableFuture<String> result);

        @DistributedLock(name = "async-counter", lease = "10s", maxWait = "60s")
        CompletableFuture<Integer> incrementLater(ExecutorService worker);

        @DistributedLock(name = "patient:{0}", lease = "10s", maxWait = "30s")
        CompletableFuture<String> patient(String job, AtomicInteger runs);

        @DistributedLock(name = "wd", lease = "1s", watchdog = true)
        boolean watched(CountDownLatch release) throws InterruptedException;

        int unannotated();

        default String describe() {
            return "default:" + unannotated();
        }
    }

    static final class CounterImpl implements Counter {
        int value; // deliberately not atomic: only the lock keeps increments apart

        @Override
        public void increment() {
            int v = value;
            Thread.yield();
            value = v + 1;
        }

        @Override
        public String ship(String orderId, Runnable work) {
            work.run();
            return "shipped " + orderId;
        }

        @Override
        public CompletableFuture<String> runAsync(String job, CompletableFuture<String> result) {
            return result;
        }

        @Override
        public CompletableFuture<Integer> incrementLater(ExecutorService worker) {
            // the increment happens after the method returned, on another thread: only a lock held until the
            // future completes keeps it exclusive
            return CompletableFuture.supplyAsync(() -> {
                int v = value;
                Thread.yield();
                value = v + 1;
                return v + 1;
            }, worker);
        }

        @Override
        public CompletableFuture<String> patient(String job, AtomicInteger runs) {
            runs.incrementAndGet();
            return CompletableFuture.completedFuture(job);
        }

        @Override
        public boolean watched(CountDownLatch release) throws InterruptedException {
            return release.await(10, TimeUnit.SECONDS);
        }

        @Override
        public int unannotated() {
            return 7;
        }
    }

    @Test
    void sixteenThreadsIncrementANonAtomicCounterExactly(Latchkey latchkey) throws Exception {
        CounterImpl impl = new CounterImpl();
        Counter counter = LatchkeyProxies.of(latchkey).proxy(Counter.class, impl);
        int threads = 16;
        int perThread = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        counter.increment();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(threads * perThread, impl.value);
        assertFalse(Locks.of(latchkey).lock("counter").isLocked(), "released after the last call");
    }

    @Test
    void sixteenConcurrentAsyncCallsStayExclusiveUntilTheirFuturesComplete(Latchkey latchkey) throws Exception {
        CounterImpl impl = new CounterImpl();
        Counter counter = LatchkeyProxies.of(latchkey).proxy(Counter.class, impl);
        ExecutorService worker = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                calls.add(counter.incrementLater(worker));
            }
            java.util.Set<Integer> seen = new java.util.HashSet<>();
            for (CompletableFuture<Integer> c : calls) {
                seen.add(c.get(60, TimeUnit.SECONDS));
            }
            assertEquals(16, impl.value);
            assertEquals(16, seen.size(), "every call saw a distinct value: " + seen);
        } finally {
            worker.shutdownNow();
        }
        assertFalse(Locks.of(latchkey).lock("async-counter").isLocked());
    }

    @Test
    void theLockNameComesFromTheArgumentAndABusyLockRejects(Latchkey latchkey) throws Exception {
        Counter counter = LatchkeyProxies.of(latchkey).proxy(Counter.class, new CounterImpl());
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch leave = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<String> holder = pool.submit(() -> counter.ship("42", () -> {
                inside.countDown();
                try {
                    leave.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }));
            assertTrue(inside.await(10, TimeUnit.SECONDS));
            assertTrue(Locks.of(latchkey).lock("order:42").isLocked());
            // another order is not blocked
            assertEquals("shipped 43", counter.ship("43", () -> { }));
            LockNotAcquiredException e = assertThrows(LockNotAcquiredException.class,
                    () -> counter.ship("42", () -> { }));
            assertEquals("order:42", e.name());
            assertEquals("Counter.ship(String, Runnable)", e.method());
            leave.countDown();
            assertEquals("shipped 42", holder.get(10, TimeUnit.SECONDS));
            assertFalse(Locks.of(latchkey).lock("order:42").isLocked());
        } finally {
            leave.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void nullOrBlankKeyFailsBeforeRedisNamingMethodAndParameter(Latchkey latchkey) {
        Counter counter = LatchkeyProxies.of(latchkey).proxy(Counter.class, new CounterImpl());
        NullPointerException npe = assertThrows(NullPointerException.class, () -> counter.ship(null, () -> { }));
        assertTrue(npe.getMessage().contains("Counter.ship(String, Runnable)"), npe.getMessage());
        assertTrue(npe.getMessage().contains("\"orderId\" (#0) is null"), npe.getMessage());
        IllegalArgumentException iae = assertThrows(IllegalArgumentException.class,
                () -> counter.ship(" ", () -> { }));
        assertTrue(iae.getMessage().contains("\"orderId\" (#0) is blank"), iae.getMessage());
        // user keys with braces cannot become lock names
        iae = assertThrows(IllegalArgumentException.class, () -> counter.ship("a{b}", () -> { }));
        assertTrue(iae.getMessage().contains("invalid lock name"), iae.getMessage());
    }

    @Test
    void anAsyncMethodHoldsTheLockUntilItsFutureCompletes(Latchkey latchkey) throws Exception {
        Counter counter = LatchkeyProxies.of(latchkey).proxy(Counter.class, new CounterImpl());
        CompletableFuture<String> work = new CompletableFuture<>();
        CompletableFuture<String> returned = counter.runAsync("nightly", work);
        assertTrue(Locks.of(latchkey).lock("job:nightly").isLocked(), "held after the method returned");
        assertFalse(returned.isDone());
        // a second call is rejected (failed future) while the first is in flight
        ExecutionException rejected = assertThrows(ExecutionException.class,
                () -> counter.runAsync("nightly", new CompletableFuture<>()).get(10, TimeUnit.SECONDS));
        assertTrue(rejected.getCause() instanceof LockNotAcquiredException, String.valueOf(rejected.getCause()));
        work.complete("done");
        assertEquals("done", returned.get(10, TimeUnit.SECONDS));
        assertFalse(Locks.of(latchkey).lock("job:nightly").isLocked(), "released before the future completed");

        // a failed future releases too, and its exception reaches the caller unwrapped
        CompletableFuture<String> failing = new CompletableFuture<>();
        CompletableFuture<String> returned2 = counter.runAsync("nightly", failing);
        failing.completeExceptionally(new IllegalStateException("boom"));
        ExecutionException e = assertThrows(ExecutionException.class, () -> returned2.get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof IllegalStateException);
        returned2.whenComplete((v, t) -> assertTrue(t instanceof IllegalStateException, String.valueOf(t)));
        assertFalse(Locks.of(latchkey).lock("job:nightly").isLocked());
    }

    @Test
    void aCancelledAsyncCallStopsWaitingAndNeverRuns(Latchkey latchkey) throws Exception {
        List<String> granted = new java.util.concurrent.CopyOnWriteArrayList<>();
        Counter counter = LatchkeyProxies.builder(latchkey)
                .listener((m, a, name) -> granted.add(a == null ? "method" : name))
                .build().proxy(Counter.class, new CounterImpl());
        var lock = Locks.of(latchkey).lock("patient:p");
        var held = lock.tryAcquire(java.time.Duration.ofSeconds(30)).orElseThrow();
        AtomicInteger runs = new AtomicInteger();
        CompletableFuture<String> waiting = counter.patient("p", runs);
        assertFalse(waiting.isDone());
        assertTrue(waiting.cancel(false));
        held.release();
        // the cancel abandoned the wait: the released lock is free at once for anyone else, not handed to the
        // caller that gave up
        var next = lock.tryAcquire(java.time.Duration.ofSeconds(30));
        assertTrue(next.isPresent(), "the abandoned waiter must not take the lock");
        next.get().release();
        assertEquals(0, runs.get(), "the method did not run for a caller that gave up");
        assertEquals(List.of(), granted);
        assertEquals("p", counter.patient("p", runs).get(10, TimeUnit.SECONDS));
        assertEquals(1, runs.get());
    }

    @Test
    void theWatchdogKeepsAShortLeaseAlive(Latchkey latchkey) throws Exception {
        Counter counter = LatchkeyProxies.of(latchkey).proxy(Counter.class, new CounterImpl());
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Boolean> holder = pool.submit(() -> counter.watched(release));
            org.awaitility.Awaitility.await().atMost(10, TimeUnit.SECONDS)
                    .until(() -> Locks.of(latchkey).lock("wd").isLocked());
            // stays held throughout more than two 1 s leases
            org.awaitility.Awaitility.await().during(2200, TimeUnit.MILLISECONDS).atMost(10, TimeUnit.SECONDS)
                    .until(() -> Locks.of(latchkey).lock("wd").isLocked());
            assertThrows(LockNotAcquiredException.class, () -> counter.watched(new CountDownLatch(0)));
            release.countDown();
            assertTrue(holder.get(10, TimeUnit.SECONDS));
            assertFalse(Locks.of(latchkey).lock("wd").isLocked());
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void unannotatedDefaultAndObjectMethodsPassThrough(Latchkey latchkey) {
        CounterImpl impl = new CounterImpl();
        Counter counter = LatchkeyProxies.of(latchkey).proxy(Counter.class, impl);
        assertEquals(7, counter.unannotated());
        assertEquals("default:7", counter.describe());
        assertEquals(impl.hashCode(), counter.hashCode());
        assertTrue(counter.equals(counter));
        assertTrue(counter.toString().contains("Counter"));
    }
}
