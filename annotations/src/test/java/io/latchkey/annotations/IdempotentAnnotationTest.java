package io.latchkey.annotations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.Latchkey;
import io.latchkey.core.spi.Internals;
import io.latchkey.dedup.IdempotencyInProgressException;
import io.latchkey.dedup.IdempotencyMismatchException;
import io.latchkey.dedup.ResultCodec;
import io.latchkey.testing.RedisTest;
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

@RedisTest
class IdempotentAnnotationTest {

    record Charge(String requestId, long cents) {
    }

    record Receipt(String id, long cents) {
        String encode() {
            return id + "|" + cents;
        }

        static Receipt decode(String s) {
            String[] p = s.split("\\|");
            return new Receipt(p[0], Long.parseLong(p[1]));
        }
    }

    enum Status { ACCEPTED, QUEUED }

    interface Payments {
        @Idempotent(key = "{charge.requestId}", ttl = "1h")
        Receipt charge(@Key("charge") Charge charge);

        @Idempotent(name = "payments-checked", key = "{charge.requestId}", payload = "{charge.cents}")
        Receipt chargeChecked(@Key("charge") Charge charge);

        @Idempotent(name = "payments-count", key = "{0}")
        long count(String requestId);

        @Idempotent(name = "payments-void", key = "{0}")
        void notify(String requestId);

        @Idempotent(name = "payments-enum", key = "{0}")
        Status status(String requestId);

        @Idempotent(name = "payments-async", key = "{0}")
        CompletableFuture<Receipt> chargeAsync(String requestId, CompletableFuture<Receipt> work);

        @Idempotent(name = "payments-slow", key = "{0}", waitForResult = "20s")
        String slow(String requestId, CountDownLatch gate) throws InterruptedException;

        @Idempotent(name = "payments-reject", key = "{0}")
        String rejecting(String requestId, CountDownLatch entered, CountDownLatch gate) throws InterruptedException;
    }

    static final class PaymentsImpl implements Payments {
        final AtomicInteger runs = new AtomicInteger();

        @Override
        public Receipt charge(Charge charge) {
            return new Receipt("r" + runs.incrementAndGet(), charge.cents());
        }

        @Override
        public Receipt chargeChecked(Charge charge) {
            return charge(charge);
        }

        @Override
        public long count(String requestId) {
            return runs.incrementAndGet();
        }

        @Override
        public void notify(String requestId) {
            runs.incrementAndGet();
        }

        @Override
        public Status status(String requestId) {
            runs.incrementAndGet();
            return Status.QUEUED;
        }

        @Override
        public CompletableFuture<Receipt> chargeAsync(String requestId, CompletableFuture<Receipt> work) {
            runs.incrementAndGet();
            return work;
        }

        @Override
        public String slow(String requestId, CountDownLatch gate) throws InterruptedException {
            gate.await(20, TimeUnit.SECONDS);
            return "run-" + runs.incrementAndGet();
        }

        @Override
        public String rejecting(String requestId, CountDownLatch entered, CountDownLatch gate)
                throws InterruptedException {
            entered.countDown();
            gate.await(20, TimeUnit.SECONDS);
            return "done";
        }
    }

    private static LatchkeyProxies proxies(Latchkey latchkey) {
        return LatchkeyProxies.builder(latchkey)
                .resultCodec(Receipt.class, ResultCodec.of(Receipt::encode, Receipt::decode))
                .build();
    }

    @Test
    void theSecondCallReplaysTheFirstResult(Latchkey latchkey) {
        PaymentsImpl impl = new PaymentsImpl();
        Payments p = proxies(latchkey).proxy(Payments.class, impl);
        Receipt first = p.charge(new Charge("req-1", 500));
        assertEquals(new Receipt("r1", 500), first);
        assertEquals(first, p.charge(new Charge("req-1", 500)), "replayed");
        assertEquals(1, impl.runs.get());
        assertNotEquals(first, p.charge(new Charge("req-2", 500)), "another key runs");

        assertEquals(3, p.count("c"));
        assertEquals(3, p.count("c"));
        p.notify("n");
        p.notify("n");
        assertEquals(Status.QUEUED, p.status("s"));
        assertEquals(Status.QUEUED, p.status("s"));
        assertEquals(5, impl.runs.get());
    }

    @Test
    void aReusedKeyWithAnotherPayloadIsRejectedNotReplayed(Latchkey latchkey) {
        PaymentsImpl impl = new PaymentsImpl();
        Payments p = proxies(latchkey).proxy(Payments.class, impl);
        Receipt first = p.chargeChecked(new Charge("req-9", 100));
        assertEquals(first, p.chargeChecked(new Charge("req-9", 100)));
        IdempotencyMismatchException e = assertThrows(IdempotencyMismatchException.class,
                () -> p.chargeChecked(new Charge("req-9", 999)));
        assertEquals("req-9", e.key());
        assertEquals(1, impl.runs.get());
    }

    @Test
    void asyncResultsAreReplayedAndTheClaimHeldUntilCompletion(Latchkey latchkey) throws Exception {
        PaymentsImpl impl = new PaymentsImpl();
        Payments p = proxies(latchkey).proxy(Payments.class, impl);
        CompletableFuture<Receipt> work = new CompletableFuture<>();
        CompletableFuture<Receipt> first = p.chargeAsync("a1", work);
        // while the first is in flight a duplicate is rejected (claim held until the future completes)
        Throwable dup = p.chargeAsync("a1", new CompletableFuture<>()).handle((v, t) -> t).get(10, TimeUnit.SECONDS);
        assertTrue(dup instanceof IdempotencyInProgressException, String.valueOf(dup));
        work.complete(new Receipt("async", 9));
        assertEquals(new Receipt("async", 9), first.get(10, TimeUnit.SECONDS));
        assertEquals(new Receipt("async", 9), p.chargeAsync("a1", new CompletableFuture<>()).get(10, TimeUnit.SECONDS));
        assertEquals(1, impl.runs.get());
    }

    @Test
    void concurrentDuplicatesWaitForTheResultOrAreRejected(Latchkey latchkey) throws Exception {
        PaymentsImpl impl = new PaymentsImpl();
        Payments p = proxies(latchkey).proxy(Payments.class, impl);
        CountDownLatch gate = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<String>> calls = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                calls.add(pool.submit(() -> p.slow("k", gate)));
            }
            org.awaitility.Awaitility.await().atMost(10, TimeUnit.SECONDS)
                    .until(() -> Internals.of(latchkey).redis().callSync(c -> c.keys("*payments-slow*")).size() > 0);
            gate.countDown();
            for (Future<String> f : calls) {
                assertEquals("run-1", f.get(30, TimeUnit.SECONDS));
            }
            assertEquals(1, impl.runs.get());

            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch hold = new CountDownLatch(1);
            Future<String> owner = pool.submit(() -> p.rejecting("r", entered, hold));
            assertTrue(entered.await(10, TimeUnit.SECONDS));
            assertThrows(IdempotencyInProgressException.class,
                    () -> p.rejecting("r", new CountDownLatch(1), new CountDownLatch(0)));
            hold.countDown();
            assertEquals("done", owner.get(10, TimeUnit.SECONDS));
        } finally {
            gate.countDown();
            pool.shutdownNow();
        }
    }
}
