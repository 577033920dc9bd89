package io.latchkey.annotations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.Latchkey;
import io.latchkey.lock.Locks;
import io.latchkey.semaphore.Semaphores;
import io.latchkey.testing.RedisTest;
import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Several annotations on one method run outermost first: idempotency → rate limit → semaphore → lock → method. */
@RedisTest
class CompositionOrderTest {

    interface Orders {
        @Idempotent(name = "orders-place", key = "{requestId}")
        @RateLimited(name = "orders-place", key = "{orderId}", limits = @Limit(permits = 1, window = "1h"))
        @ConcurrencyLimited(name = "orders-place", permits = 4)
        @DistributedLock(name = "order:{orderId}")
        String place(@Key("requestId") String requestId, @Key("orderId") String orderId);

        @DistributedLock(name = "order:{orderId}", order = 50)
        @ConcurrencyLimited(name = "orders-cancel", permits = 4)
        @Deduplicated(name = "orders-cancel", key = "{orderId}")
        String cancel(@Key("orderId") String orderId);

        @Idempotent(name = "orders-async", key = "{0}")
        @ConcurrencyLimited(name = "orders-async", permits = 4)
        @DistributedLock(name = "async:{0}")
        CompletableFuture<String> placeAsync(String requestId, CompletableFuture<String> work);
    }

    /** Records what is held when the method body runs. */
    static final class OrdersImpl implements Orders {
        final Latchkey latchkey;
        final List<String> seenInside = new CopyOnWriteArrayList<>();

        OrdersImpl(Latchkey latchkey) {
            this.latchkey = latchkey;
        }

        @Override
        public String place(String requestId, String orderId) {
            seenInside.add("locked=" + Locks.of(latchkey).lock("order:" + orderId).isLocked()
                    + " permits=" + Semaphores.of(latchkey).semaphore("orders-place", 4).availablePermits());
            return "placed " + orderId;
        }

        @Override
        public String cancel(String orderId) {
            return "cancelled " + orderId;
        }

        @Override
        public CompletableFuture<String> placeAsync(String requestId, CompletableFuture<String> work) {
            return work;
        }
    }

    private static final class Recorder implements InvocationListener {
        final List<String> entries = new CopyOnWriteArrayList<>();

        @Override
        public void granted(String method, Class<? extends Annotation> annotation, String name) {
            entries.add(annotation == null ? "method" : annotation.getSimpleName() + "(" + name + ")");
        }
    }

    @Test
    void theDefaultOrderIsIdempotencyRateLimitSemaphoreLockMethod(Latchkey latchkey) throws Exception {
        Recorder recorder = new Recorder();
        OrdersImpl impl = new OrdersImpl(latchkey);
        Orders orders = LatchkeyProxies.builder(latchkey).listener(recorder).build().proxy(Orders.class, impl);

        assertEquals("placed 42", orders.place("req-1", "42"));
        assertEquals(List.of("Idempotent(req-1)", "RateLimited(42)", "ConcurrencyLimited(orders-place)",
                "DistributedLock(order:42)", "method"), recorder.entries);
        assertEquals(List.of("locked=true permits=3"), impl.seenInside, "everything is held inside the method");

        // a replay is answered by the outermost step: nothing inner is entered again, and it does not spend the
        // rate limit (1 per order per hour, already used)
        recorder.entries.clear();
        assertEquals("placed 42", orders.place("req-1", "42"));
        assertEquals(List.of(), recorder.entries);
        assertEquals(1, impl.seenInside.size());

        // a new request for the same order is stopped by the rate limit before it takes a permit or the lock
        RateLimitExceededException denied = assertThrows(RateLimitExceededException.class,
                () -> orders.place("req-2", "42"));
        assertEquals("42", denied.key());
        assertEquals(List.of("Idempotent(req-2)"), recorder.entries);
        assertEquals(4, Semaphores.of(latchkey).semaphore("orders-place", 4).availablePermits());
        assertTrue(!Locks.of(latchkey).lock("order:42").isLocked());

        // an order attribute moves the lock outermost
        recorder.entries.clear();
        assertEquals("cancelled 7", orders.cancel("7"));
        assertEquals(List.of("DistributedLock(order:7)", "Deduplicated(7)", "ConcurrencyLimited(orders-cancel)",
                "method"), recorder.entries);
    }

    @Test
    void asyncMethodsComposeInTheSameOrderAndReleaseInnermostFirst(Latchkey latchkey) throws Exception {
        Recorder recorder = new Recorder();
        Orders orders = LatchkeyProxies.builder(latchkey).listener(recorder).build()
                .proxy(Orders.class, new OrdersImpl(latchkey));
        CompletableFuture<String> work = new CompletableFuture<>();
        CompletableFuture<String> result = orders.placeAsync("a-1", work);
        // the chain runs on as each async acquisition completes
        org.awaitility.Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> recorder.entries.contains("method"));
        assertEquals(List.of("Idempotent(a-1)", "ConcurrencyLimited(orders-async)", "DistributedLock(async:a-1)",
                "method"), recorder.entries);
        assertTrue(Locks.of(latchkey).lock("async:a-1").isLocked());
        assertEquals(3, Semaphores.of(latchkey).semaphore("orders-async", 4).availablePermits());
        work.complete("ok");
        assertEquals("ok", result.get(10, TimeUnit.SECONDS));
        assertTrue(!Locks.of(latchkey).lock("async:a-1").isLocked());
        assertEquals(4, Semaphores.of(latchkey).semaphore("orders-async", 4).availablePermits());
    }

    @Test
    void theFactoryOrderCanBeReplaced(Latchkey latchkey) {
        Recorder recorder = new Recorder();
        Orders orders = LatchkeyProxies.builder(latchkey).listener(recorder)
                .order(DistributedLock.class, ConcurrencyLimited.class)
                .build().proxy(Orders.class, new OrdersImpl(latchkey));
        orders.place("req-9", "9");
        assertEquals(List.of("DistributedLock(order:9)", "ConcurrencyLimited(orders-place)", "Idempotent(req-9)",
                "RateLimited(9)", "method"), recorder.entries);
    }

    @Test
    void planStepsAreSortedOnce(Latchkey latchkey) throws Exception {
        LatchkeyProxies proxies = LatchkeyProxies.of(latchkey);
        // one factory can proxy the same interface twice: the shared primitives agree with themselves
        proxies.proxy(Orders.class, new OrdersImpl(latchkey));
        proxies.proxy(Orders.class, new OrdersImpl(latchkey));
        MethodPlan plan = proxies.plan(Orders.class.getMethod("place", String.class, String.class));
        List<Class<?>> types = new ArrayList<>();
        plan.steps().forEach(s -> types.add(s.annotationType()));
        assertEquals(Arrays.asList(Idempotent.class, RateLimited.class, ConcurrencyLimited.class,
                DistributedLock.class), types);
    }
}
