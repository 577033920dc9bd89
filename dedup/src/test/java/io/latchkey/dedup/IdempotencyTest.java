package io.latchkey.dedup;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.Latchkey;
import io.latchkey.core.LatchkeyException;
import io.latchkey.core.spi.Internals;
import io.latchkey.core.spi.LuaScript;
import io.latchkey.testing.EmbeddedRedis;
import io.latchkey.testing.RedisTest;
import io.lettuce.core.ScriptOutputType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@RedisTest
class IdempotencyTest {

    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    private static IdempotentExecutor<String> executor(Latchkey latchkey, String name, IdempotencyOptions options) {
        return Deduplicators.of(latchkey).idempotency(name, options);
    }

    private static String record(Latchkey latchkey, String name, String key) {
        return Internals.of(latchkey).keys().key(name, key, "i");
    }

    @Test
    void theResultIsStoredAndReplayedWithoutRunningTheActionAgain(Latchkey latchkey, EmbeddedRedis redis) {
        IdempotentExecutor<String> ex = executor(latchkey, "replay", IdempotencyOptions.builder()
                .ttl(Duration.ofMinutes(10)).build());
        AtomicInteger runs = new AtomicInteger();
        assertEquals("receipt-1", ex.execute("order-1", () -> "receipt-" + runs.incrementAndGet()));
        assertEquals("receipt-1", ex.execute("order-1", () -> "receipt-" + runs.incrementAndGet()));
        assertEquals(1, runs.get());
        assertEquals("receipt-2", ex.execute("order-2", () -> "receipt-" + runs.incrementAndGet()));
        long pttl = (Long) redis.command("PTTL", record(latchkey, "replay", "order-1"));
        assertTrue(pttl > Duration.ofMinutes(9).toMillis() && pttl <= Duration.ofMinutes(10).toMillis(),
                "a completed result lives for the ttl: " + pttl);
        assertNull(ex.execute("nothing", () -> null));
        assertNull(ex.execute("nothing", () -> "not run"), "a null result is replayed as null");
        assertTrue(ex.forget("order-1"));
        assertEquals("receipt-3", ex.execute("order-1", () -> "receipt-" + runs.incrementAndGet()));
    }

    @Test
    void builtInAndCustomCodecsRoundTrip(Latchkey latchkey) {
        Deduplicators d = Deduplicators.of(latchkey);
        IdempotentExecutor<Long> longs = d.idempotency("longs", ResultCodec.longs(), IdempotencyOptions.defaults());
        assertEquals(Long.MIN_VALUE, longs.execute("k", () -> Long.MIN_VALUE));
        assertEquals(Long.MIN_VALUE, longs.execute("k", () -> 7L));
        IdempotentExecutor<byte[]> bytes = d.idempotency("bytes", ResultCodec.bytes(), IdempotencyOptions.defaults());
        byte[] raw = {0, (byte) 0xff, 10, 13, 0};
        assertArrayEquals(raw, bytes.execute("k", () -> raw));
        assertArrayEquals(raw, bytes.execute("k", () -> new byte[0]));
        record Point(int x, int y) {
        }
        ResultCodec<Point> json = ResultCodec.of(p -> "{\"x\":" + p.x() + ",\"y\":" + p.y() + "}", s -> {
            String[] parts = s.replaceAll("[{}\"xy:]", "").split(",");
            return new Point(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
        });
        IdempotentExecutor<Point> points = d.idempotency("points", json, IdempotencyOptions.defaults());
        assertEquals(new Point(3, -4), points.execute("k", () -> new Point(3, -4)));
        assertEquals(new Point(3, -4), points.execute("k", () -> new Point(0, 0)));
    }

    @Test
    void aConcurrentDuplicateIsRejectedWhileTheOwnerRuns(Latchkey latchkey) throws Exception {
        IdempotentExecutor<String> ex = executor(latchkey, "reject", IdempotencyOptions.defaults());
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        Future<String> owner = pool.submit(() -> ex.execute("k", () -> {
            started.countDown();
            block(finish);
            return "done";
        }));
        assertTrue(started.await(10, TimeUnit.SECONDS));
        IdempotencyInProgressException e = assertThrows(IdempotencyInProgressException.class,
                () -> ex.execute("k", () -> "duplicate ran"));
        assertEquals("k", e.key());
        assertTrue(e.remainingLease().toMillis() > 0);
        finish.countDown();
        assertEquals("done", owner.get(10, TimeUnit.SECONDS));
        assertEquals("done", ex.execute("k", () -> "duplicate ran"));
    }

    @Test
    void aConcurrentDuplicateWaitsForTheResultWhenAsked(Latchkey latchkey) throws Exception {
        IdempotentExecutor<String> ex = executor(latchkey, "wait",
                IdempotencyOptions.builder().waitForResult(Duration.ofSeconds(20)).build());
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        Future<String> owner = pool.submit(() -> ex.execute("k", () -> {
            runs.incrementAndGet();
            started.countDown();
            block(finish);
            return "result";
        }));
        assertTrue(started.await(10, TimeUnit.SECONDS));
        Future<String> waiter1 = pool.submit(() -> ex.execute("k", () -> "waiter ran " + runs.incrementAndGet()));
        CompletableFuture<String> waiter2 = ex.executeAsync("k",
                () -> CompletableFuture.completedFuture("async waiter ran " + runs.incrementAndGet()));
        // both are subscribed and waiting (the wait is woken by the owner's completion message)
        await().atMost(Duration.ofSeconds(5)).until(() -> Internals.of(latchkey).notifications().subscribedChannels() == 1);
        assertFalse(waiter1.isDone());
        assertFalse(waiter2.isDone());
        finish.countDown();
        assertEquals("result", owner.get(10, TimeUnit.SECONDS));
        assertEquals("result", waiter1.get(10, TimeUnit.SECONDS));
        assertEquals("result", waiter2.get(10, TimeUnit.SECONDS));
        assertEquals(1, runs.get());
    }

    @Test
    void aWaiterGivesUpAfterMaxWait(Latchkey latchkey) throws Exception {
        IdempotentExecutor<String> ex = executor(latchkey, "wait-timeout",
                IdempotencyOptions.builder().waitForResult(Duration.ofMillis(300)).build());
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        Future<String> owner = pool.submit(() -> ex.execute("k", () -> {
            started.countDown();
            block(finish);
            return "late";
        }));
        assertTrue(started.await(10, TimeUnit.SECONDS));
        long before = System.nanoTime();
        assertThrows(IdempotencyInProgressException.class, () -> ex.execute("k", () -> "not run"));
        assertTrue(System.nanoTime() - before >= TimeUnit.MILLISECONDS.toNanos(300), "waited maxWait first");
        finish.countDown();
        assertEquals("late", owner.get(10, TimeUnit.SECONDS));
    }

    @Test
    void aWaiterTakesOverWhenTheOwnerFails(Latchkey latchkey) throws Exception {
        IdempotentExecutor<String> ex = executor(latchkey, "take-over",
                IdempotencyOptions.builder().waitForResult(Duration.ofSeconds(20)).build());
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch fail = new CountDownLatch(1);
        Future<String> owner = pool.submit(() -> ex.execute("k", () -> {
            started.countDown();
            block(fail);
            throw new IllegalStateException("payment provider down");
        }));
        assertTrue(started.await(10, TimeUnit.SECONDS));
        Future<String> waiter = pool.submit(() -> ex.execute("k", () -> "second attempt"));
        await().atMost(Duration.ofSeconds(5)).until(() -> Internals.of(latchkey).notifications().subscribedChannels() == 1);
        fail.countDown();
        java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> owner.get(10, TimeUnit.SECONDS));
        assertEquals("payment provider down", e.getCause().getMessage());
        assertEquals("second attempt", waiter.get(10, TimeUnit.SECONDS), "the released claim woke the waiter");
    }

    @Test
    void theHeartbeatKeepsALongActionsClaimPastItsLease(Latchkey latchkey, EmbeddedRedis redis) throws Exception {
        IdempotentExecutor<String> ex = executor(latchkey, "heartbeat",
                IdempotencyOptions.builder().lease(Duration.ofSeconds(1)).build()); // renewals survive a loaded CI
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        Future<String> owner = pool.submit(() -> ex.execute("k", () -> {
            started.countDown();
            block(finish);
            return "slow";
        }));
        assertTrue(started.await(10, TimeUnit.SECONDS));
        String record = record(latchkey, "heartbeat", "k");
        // three leases long, the claim never lapses: the watchdog renews it
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6))
                .until(() -> "P".equals(redis.command("HGET", record, "s")));
        assertThrows(IdempotencyInProgressException.class, () -> ex.execute("k", () -> "duplicate ran"));
        finish.countDown();
        assertEquals("slow", owner.get(10, TimeUnit.SECONDS));
        assertEquals("slow", ex.execute("k", () -> "duplicate ran"));
    }

    @Test
    void aCrashedOwnersClaimLapsesAfterTheLeaseNotTheTtl(EmbeddedRedis redis, Latchkey survivor) throws Exception {
        IdempotencyOptions options = IdempotencyOptions.builder().ttl(Duration.ofHours(1))
                .lease(Duration.ofMillis(400)).build();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        Latchkey crashing = Latchkey.connect(redis.uri());
        IdempotentExecutor<String> doomed = executor(crashing, "crash", options);
        Future<String> stuck = pool.submit(() -> doomed.execute("k", () -> {
            started.countDown();
            block(never);
            return "never stored";
        }));
        assertTrue(started.await(10, TimeUnit.SECONDS));
        crashing.close(); // the process "dies": its heartbeat stops, its action never completes
        IdempotentExecutor<String> ex = executor(survivor, "crash", options);
        assertThrows(IdempotencyInProgressException.class, () -> ex.execute("k", () -> "too early"));
        long before = System.nanoTime();
        String result = await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    try {
                        return ex.execute("k", () -> "recovered");
                    } catch (IdempotencyInProgressException e) {
                        return null;
                    }
                }, r -> r != null);
        assertEquals("recovered", result);
        assertTrue(System.nanoTime() - before < TimeUnit.SECONDS.toNanos(5), "after the lease, not the 1 h ttl");
        never.countDown();
        stuck.get(10, TimeUnit.SECONDS); // the dead owner's late completion must not overwrite the new result
        assertEquals("recovered", ex.execute("k", () -> "again"));
    }

    @Test
    void onlyTheOwnerCanCompleteOrRelease(Latchkey latchkey, EmbeddedRedis redis) throws Exception {
        IdempotentExecutor<String> ex = executor(latchkey, "owner", IdempotencyOptions.defaults());
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        Future<String> owner = pool.submit(() -> ex.execute("k", () -> {
            started.countDown();
            block(finish);
            return "mine";
        }));
        assertTrue(started.await(10, TimeUnit.SECONDS));
        String[] keys = {record(latchkey, "owner", "k"), Internals.of(latchkey).keys().key("owner", "k", "done")};
        LuaScript complete = LuaScript.load(Deduplicators.class, "idempotency-complete.lua");
        LuaScript release = LuaScript.load(Deduplicators.class, "idempotency-release.lua");
        assertEquals(0L, (Long) Internals.of(latchkey).redis().evalSync(complete, ScriptOutputType.INTEGER, keys,
                "intruder", "vstolen", "60000"));
        assertEquals(0L, (Long) Internals.of(latchkey).redis().evalSync(release, ScriptOutputType.INTEGER, keys, "intruder"));
        assertEquals("P", redis.command("HGET", keys[0], "s"));
        finish.countDown();
        assertEquals("mine", owner.get(10, TimeUnit.SECONDS));
        assertEquals("mine", ex.execute("k", () -> "other"));
    }

    @Test
    void theSameKeyWithADifferentPayloadIsAMismatch(Latchkey latchkey) {
        IdempotentExecutor<String> ex = executor(latchkey, "payload", IdempotencyOptions.defaults());
        assertEquals("charged 10", ex.execute("pay-1", "{amount:10,to:bob}", () -> "charged 10"));
        assertEquals("charged 10", ex.execute("pay-1", "{amount:10,to:bob}", () -> "charged twice"));
        IdempotencyMismatchException e = assertThrows(IdempotencyMismatchException.class,
                () -> ex.execute("pay-1", "{amount:99,to:bob}", () -> "charged 99"));
        assertEquals("pay-1", e.key());
        assertInstanceOf(LatchkeyException.class, e, "one exception root for everything Latchkey throws");
        assertThrows(IdempotencyMismatchException.class, () -> ex.execute("pay-1",
                "{amount:99,to:bob}".getBytes(StandardCharsets.UTF_8), () -> "charged 99"));
        assertEquals("charged 10", ex.execute("pay-1",
                "{amount:10,to:bob}".getBytes(StandardCharsets.UTF_8), () -> "charged twice"));
        CompletableFuture<String> async = ex.executeAsync("pay-1", "{amount:1}",
                () -> CompletableFuture.completedFuture("x"));
        assertTrue(assertThrows(java.util.concurrent.CompletionException.class, async::join).getCause()
                instanceof IdempotencyMismatchException);
    }

    @Test
    void aFailedActionRemovesItsClaimSoTheNextCallRunsIt(Latchkey latchkey, EmbeddedRedis redis) {
        IdempotentExecutor<String> ex = executor(latchkey, "failure", IdempotencyOptions.defaults());
        IllegalStateException boom = new IllegalStateException("boom");
        assertSame(boom, assertThrows(IllegalStateException.class, () -> ex.execute("k", () -> {
            throw boom;
        })), "the action's own exception propagates unchanged");
        assertEquals(0L, redis.command("EXISTS", record(latchkey, "failure", "k")));
        assertEquals("second try", ex.execute("k", () -> "second try"));
        CompletableFuture<String> failed = ex.executeAsync("async-k",
                () -> CompletableFuture.failedFuture(new IllegalArgumentException("async boom")));
        assertEquals("async boom", assertThrows(java.util.concurrent.CompletionException.class, failed::join)
                .getCause().getMessage());
        assertEquals(0L, redis.command("EXISTS", record(latchkey, "failure", "async-k")));
        assertEquals("async ok", ex.executeAsync("async-k", () -> CompletableFuture.completedFuture("async ok"))
                .join());
        assertEquals("async ok", ex.executeAsync("async-k", () -> CompletableFuture.completedFuture("again"))
                .join());
    }

    @Test
    void aFailedActionCanKeepItsClaimUntilTheLeaseLapses(Latchkey latchkey, EmbeddedRedis redis) {
        IdempotentExecutor<String> ex = executor(latchkey, "keep", IdempotencyOptions.builder()
                .lease(Duration.ofMillis(500)).removeClaimOnFailure(false).build());
        assertThrows(IllegalStateException.class, () -> ex.execute("k", () -> {
            throw new IllegalStateException("boom");
        }));
        long pttl = (Long) redis.command("PTTL", record(latchkey, "keep", "k"));
        assertTrue(pttl > 0 && pttl <= 500, "the claim keeps its lease: " + pttl);
        assertThrows(IdempotencyInProgressException.class, () -> ex.execute("k", () -> "too soon"));
        assertEquals("later", await().atMost(Duration.ofSeconds(5)).until(() -> {
            try {
                return ex.execute("k", () -> "later");
            } catch (IdempotencyInProgressException e) {
                return null;
            }
        }, r -> r != null));
    }

    @Test
    void claimsAreCountedByResult(EmbeddedRedis redis) throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Latchkey latchkey = Latchkey.builder().uri(redis.uri()).meterRegistry(registry).build()) {
            IdempotentExecutor<String> ex = executor(latchkey, "metered", IdempotencyOptions.defaults());
            ex.execute("a", "p", () -> "1");
            ex.execute("a", "p", () -> "2");
            assertThrows(IdempotencyMismatchException.class, () -> ex.execute("a", "q", () -> "3"));
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch finish = new CountDownLatch(1);
            Future<String> owner = pool.submit(() -> ex.execute("b", () -> {
                started.countDown();
                block(finish);
                return "b";
            }));
            assertTrue(started.await(10, TimeUnit.SECONDS));
            assertThrows(IdempotencyInProgressException.class, () -> ex.execute("b", () -> "dup"));
            finish.countDown();
            owner.get(10, TimeUnit.SECONDS);
            for (var expected : List.of(List.of("new", 2.0), List.of("duplicate", 1.0), List.of("mismatch", 1.0),
                    List.of("in_progress", 1.0), List.of("fallback", 0.0))) {
                assertEquals((Double) expected.get(1), registry.get(DedupMetrics.CLAIMS).tag("name", "metered")
                        .tag("result", (String) expected.get(0)).counter().count(), expected.toString());
            }
        }
    }

    private static void block(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("latch never opened");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
