package io.latchkey.dedup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.FailurePolicy;
import io.latchkey.core.Latchkey;
import io.latchkey.core.LatchkeyException;
import io.latchkey.core.spi.Internals;
import io.latchkey.testing.EmbeddedRedis;
import io.latchkey.testing.FaultProxy;
import io.latchkey.testing.RedisTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Idempotent execution under replays, outages and contention. */
@RedisTest(proxied = true)
class IdempotencyFaultTest {

    @Test
    void aClaimWhoseReplyIsLostIsStillOurs(Latchkey viaProxy, FaultProxy proxy) {
        IdempotentExecutor<String> ex = Deduplicators.of(viaProxy).idempotency("lost-claim",
                IdempotencyOptions.defaults());
        assertEquals("warm", ex.execute("warm-up", () -> "warm")); // scripts cached
        AtomicInteger runs = new AtomicInteger();
        proxy.mode(FaultProxy.Mode.DROP_NEXT_REPLY_THEN_CLOSE);
        assertEquals("ran 1", ex.execute("k", () -> "ran " + runs.incrementAndGet()),
                "the re-sent claim recognised itself: the action ran, not rejected as in progress");
        assertEquals("ran 1", ex.execute("k", () -> "ran " + runs.incrementAndGet()));
        assertEquals(1, runs.get());
    }

    @Test
    void aCompletionWhoseReplyIsLostIsStoredOnce(Latchkey viaProxy, FaultProxy proxy, EmbeddedRedis redis) {
        IdempotentExecutor<String> ex = Deduplicators.of(viaProxy).idempotency("lost-complete",
                IdempotencyOptions.defaults());
        assertEquals("warm", ex.execute("warm-up", () -> "warm"));
        assertEquals("result", ex.execute("k", () -> {
            proxy.mode(FaultProxy.Mode.DROP_NEXT_REPLY_THEN_CLOSE); // the next command is the completion
            return "result";
        }));
        assertEquals("C", redis.command("HGET", Internals.of(viaProxy).keys().key("lost-complete", "k", "i"), "s"));
        assertEquals("result", ex.execute("k", () -> "ran again"));
    }

    @Test
    void failClosedThrowsAndFailOpenRunsTheActionUnprotected(FaultProxy proxy) {
        try (Latchkey latchkey = Latchkey.builder().uri(proxy.uri()).commandTimeout(Duration.ofMillis(500)).build()) {
            IdempotentExecutor<String> closed = Deduplicators.of(latchkey).idempotency("closed",
                    IdempotencyOptions.defaults());
            IdempotentExecutor<String> open = Deduplicators.of(latchkey).idempotency("open",
                    IdempotencyOptions.builder().failurePolicy(FailurePolicy.FAIL_OPEN).build());
            assertEquals("warm", closed.execute("warm-up", () -> "warm"));
            proxy.mode(FaultProxy.Mode.REFUSE);
            AtomicInteger runs = new AtomicInteger();
            assertThrows(LatchkeyException.class, () -> closed.execute("k", () -> "ran " + runs.incrementAndGet()));
            assertEquals(0, runs.get(), "FAIL_CLOSED never runs the action unprotected");
            assertEquals("ran 1", open.execute("k", () -> "ran " + runs.incrementAndGet()));
            assertEquals("ran 2", open.execute("k", () -> "ran " + runs.incrementAndGet()),
                    "FAIL_OPEN runs it every time while Redis is away");
        }
    }

    @Test
    void manyCallersOfManyKeysRunEachActionOnce(Latchkey latchkey) throws Exception {
        IdempotentExecutor<String> ex = Deduplicators.of(latchkey).idempotency("contended",
                IdempotencyOptions.builder().waitForResult(Duration.ofSeconds(30)).build());
        int keys = 40;
        int threads = 8;
        ConcurrentHashMap<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        ConcurrentHashMap<String, String> results = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                int me = t;
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < keys; i++) {
                        String key = "key-" + ((i + me * 5) % keys);
                        String r = ex.execute(key, () -> {
                            runs.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                            return key + " by " + me;
                        });
                        String first = results.putIfAbsent(key, r);
                        assertTrue(first == null || first.equals(r), key + ": " + first + " vs " + r);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(keys, runs.size());
        runs.forEach((k, n) -> assertEquals(1, n.get(), k + " ran " + n.get() + " times"));
    }
}
