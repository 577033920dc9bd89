package io.latchkey.annotations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.Latchkey;
import io.latchkey.testing.RedisTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@RedisTest
class DeduplicatedAnnotationTest {

    record Event(String id, String body) {
    }

    interface Consumer {
        @Deduplicated(key = "{event.id}", ttl = "1h")
        void onEvent(@Key("event") Event event);

        @Deduplicated(name = "values", key = "v:{0}")
        String value(String id);

        @Deduplicated(name = "values", key = "n:{0}")
        long number(String id);

        @Deduplicated(name = "values", key = "o:{0}")
        Optional<String> optional(String id);

        @Deduplicated(name = "values", key = "l:{0}")
        List<String> list(String id);

        @Deduplicated(name = "values", key = "m:{0}")
        Map<String, String> map(String id);

        @Deduplicated(name = "values", key = "b:{0}")
        boolean flag(String id);

        @Deduplicated(name = "values", key = "f:{0}")
        CompletableFuture<String> future(String id);

        @Deduplicated(name = "values", key = "s:{0}")
        CompletionStage<Optional<String>> stage(String id);

        @Deduplicated(name = "strict", key = "{0}", onDuplicate = Deduplicated.OnDuplicate.THROW)
        String strict(String id);

        @Deduplicated(name = "flaky", key = "{0}")
        String flaky(String id, boolean fail) throws java.io.IOException;

        @Deduplicated(name = "flaky-async", key = "{0}")
        CompletableFuture<String> flakyAsync(String id, boolean fail);
    }

    static final class ConsumerImpl implements Consumer {
        final List<String> handled = new CopyOnWriteArrayList<>();

        @Override
        public void onEvent(Event event) {
            handled.add(event.id());
        }

        @Override
        public String value(String id) {
            return "v" + id;
        }

        @Override
        public long number(String id) {
            return 5;
        }

        @Override
        public Optional<String> optional(String id) {
            return Optional.of(id);
        }

        @Override
        public List<String> list(String id) {
            return List.of(id);
        }

        @Override
        public Map<String, String> map(String id) {
            return Map.of(id, id);
        }

        @Override
        public boolean flag(String id) {
            return true;
        }

        @Override
        public CompletableFuture<String> future(String id) {
            return CompletableFuture.completedFuture("f" + id);
        }

        @Override
        public CompletionStage<Optional<String>> stage(String id) {
            return CompletableFuture.completedFuture(Optional.of(id));
        }

        @Override
        public String strict(String id) {
            return id;
        }

        @Override
        public String flaky(String id, boolean fail) throws java.io.IOException {
            handled.add(id);
            if (fail) {
                throw new java.io.IOException("downstream down");
            }
            return "ok";
        }

        @Override
        public CompletableFuture<String> flakyAsync(String id, boolean fail) {
            handled.add(id);
            return fail ? CompletableFuture.failedFuture(new IllegalStateException("nope"))
                    : CompletableFuture.completedFuture("ok");
        }
    }

    @Test
    void concurrentDuplicatesRunTheMethodOnce(Latchkey latchkey) throws Exception {
        ConsumerImpl impl = new ConsumerImpl();
        Consumer consumer = LatchkeyProxies.of(latchkey).proxy(Consumer.class, impl);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 10; i++) {
                        consumer.onEvent(new Event("e" + i, "redelivery"));
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
        assertEquals(10, impl.handled.size(), impl.handled.toString());
        assertEquals(10, impl.handled.stream().distinct().count());
    }

    @Test
    void aSkippedCallReturnsTheEmptyValueOfItsReturnType(Latchkey latchkey) throws Exception {
        Consumer c = LatchkeyProxies.of(latchkey).proxy(Consumer.class, new ConsumerImpl());
        assertEquals("v1", c.value("1"));
        assertNull(c.value("1"));
        assertEquals(5, c.number("1"));
        assertEquals(0, c.number("1"));
        assertEquals(Optional.of("1"), c.optional("1"));
        assertEquals(Optional.empty(), c.optional("1"));
        assertEquals(List.of("1"), c.list("1"));
        assertEquals(List.of(), c.list("1"));
        assertEquals(Map.of("1", "1"), c.map("1"));
        assertEquals(Map.of(), c.map("1"));
        assertTrue(c.flag("1"));
        assertFalse(c.flag("1"));
        assertEquals("f1", c.future("1").get(10, TimeUnit.SECONDS));
        assertNull(c.future("1").get(10, TimeUnit.SECONDS));
        assertEquals(Optional.of("1"), c.stage("1").toCompletableFuture().get(10, TimeUnit.SECONDS));
        assertEquals(Optional.empty(), c.stage("1").toCompletableFuture().get(10, TimeUnit.SECONDS));
        assertEquals("2", c.value("2").substring(1), "another key runs");

        assertEquals("a", c.strict("a"));
        DuplicateInvocationException e = assertThrows(DuplicateInvocationException.class, () -> c.strict("a"));
        assertEquals("a", e.key());
        assertEquals("strict", e.name());
    }

    @Test
    void aFailedCallForgetsItsKeySoARedeliveryRunsAgain(Latchkey latchkey) throws Exception {
        ConsumerImpl impl = new ConsumerImpl();
        Consumer c = LatchkeyProxies.of(latchkey).proxy(Consumer.class, impl);
        // the checked exception reaches the caller as itself (not an UndeclaredThrowableException)
        assertThrows(java.io.IOException.class, () -> c.flaky("m1", true));
        assertEquals("ok", c.flaky("m1", false));
        assertNull(c.flaky("m1", false), "now a duplicate");
        assertEquals(List.of("m1", "m1"), impl.handled);

        impl.handled.clear();
        var failed = c.flakyAsync("m2", true);
        Throwable t = failed.handle((v, x) -> x).get(10, TimeUnit.SECONDS);
        assertTrue(t instanceof IllegalStateException, String.valueOf(t));
        assertEquals("ok", c.flakyAsync("m2", false).get(10, TimeUnit.SECONDS));
        assertNull(c.flakyAsync("m2", false).get(10, TimeUnit.SECONDS));
        assertEquals(List.of("m2", "m2"), impl.handled);
    }
}
