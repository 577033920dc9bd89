package io.latchkey.dedup;

import static org.awaitility.Awaitility.await;
import io.latchkey.core.spi.Internals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.Latchkey;
import io.latchkey.core.LatchkeyException;
import io.latchkey.testing.AclUsers;
import io.latchkey.testing.EmbeddedRedis;
import io.latchkey.testing.RedisTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Windowed and exact deduplication and idempotent execution under exactly the ACL user docs/security.md prescribes
 * ({@link AclUsers}), and idempotent execution under one without channel permission.
 */
@RedisTest
class DedupAclTest {

    private static final String NS = "acl-app";
    private static final Duration TTL = Duration.ofMinutes(5);
    private static final long PATIENCE_S = 10;

    private static Latchkey connect(String uri) {
        Latchkey lk = Latchkey.builder().uri(uri).namespace(NS).build();
        assertThrows(LatchkeyException.class, () -> Internals.of(lk).redis().callSync(c -> c.set("outside", "x")),
                "the restriction is in force");
        return lk;
    }

    @Test
    void everyStrategyAndIdempotencyWorkUnderTheLeastPrivilegeUser(EmbeddedRedis redis) throws Exception {
        try (Latchkey lk = connect(AclUsers.createLeastPrivilege(redis, "app", "app-pw", NS))) {
            Deduplicators dedup = Deduplicators.of(lk);
            for (DedupStrategy strategy : DedupStrategy.values()) {
                Deduplicator d = dedup.deduplicator("events-" + strategy, TTL,
                        DeduplicatorOptions.builder().strategy(strategy).build());
                assertTrue(d.firstSeen("id-1"), strategy + " first");
                assertFalse(d.firstSeen("id-1"), strategy + " duplicate");
                assertEquals(List.of(false, true, true), d.firstSeen(List.of("id-1", "id-2", "id-3")), strategy + " batch");
                assertTrue(d.seen("id-2"));
                assertTrue(d.forget("id-2"));
                assertFalse(d.seen("id-2"));
            }

            IdempotentExecutor<String> exec = dedup.idempotency("payments",
                    IdempotencyOptions.builder().waitForResult(Duration.ofSeconds(20)).build());
            AtomicInteger runs = new AtomicInteger();
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch finish = new CountDownLatch(1);
            CompletableFuture<String> owner = CompletableFuture.supplyAsync(() -> exec.execute("pay:1", () -> {
                runs.incrementAndGet();
                started.countDown();
                await().atMost(Duration.ofSeconds(PATIENCE_S)).until(() -> finish.getCount() == 0);
                return "receipt-1";
            }));
            assertTrue(started.await(PATIENCE_S, TimeUnit.SECONDS));
            CompletableFuture<String> duplicate = exec.executeAsync("pay:1", () -> {
                runs.incrementAndGet();
                return CompletableFuture.completedFuture("receipt-2");
            });
            // the duplicate waits on the result channel: the owner's PUBLISH wakes it
            await().atMost(Duration.ofSeconds(PATIENCE_S)).until(() -> subscribers(redis, NS + ":{payments:pay:1}:done") > 0);
            finish.countDown();
            assertEquals("receipt-1", owner.get(PATIENCE_S, TimeUnit.SECONDS));
            assertEquals("receipt-1", duplicate.get(PATIENCE_S, TimeUnit.SECONDS));
            assertEquals("receipt-1", exec.execute("pay:1", () -> "receipt-3"), "replayed");
            assertEquals(1, runs.get());
            assertThrows(IllegalStateException.class, () -> exec.execute("pay:2", () -> {
                throw new IllegalStateException("declined");
            }));
            assertEquals("retried", exec.execute("pay:2", () -> "retried"), "a failed action's claim was released");
            assertTrue(exec.forget("pay:1"));
        }
    }

    @Test
    void idempotentResultsAreStoredAndReportedWithoutChannelPermission(EmbeddedRedis redis) throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (Latchkey lk = Latchkey.builder().uri(AclUsers.createWithoutChannels(redis, "mute", "mute-pw", NS))
                .namespace(NS).meterRegistry(meters).build()) {
            IdempotentExecutor<String> exec = Deduplicators.of(lk).idempotency("payments",
                    IdempotencyOptions.builder().waitForResult(Duration.ofSeconds(20)).build());
            // storing the result, then failing to PUBLISH it, is still a stored result
            assertEquals("receipt-1", exec.execute("pay:1", () -> "receipt-1"));
            assertEquals("receipt-1", exec.execute("pay:1", () -> "receipt-2"), "replayed: it was stored");
            // releasing a failed claim, then failing to PUBLISH, is still released
            assertThrows(IllegalStateException.class, () -> exec.execute("pay:2", () -> {
                throw new IllegalStateException("declined");
            }));
            assertEquals("retried", exec.execute("pay:2", () -> "retried"));

            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch finish = new CountDownLatch(1);
            CompletableFuture<String> owner = CompletableFuture.supplyAsync(() -> exec.execute("pay:3", () -> {
                started.countDown();
                await().atMost(Duration.ofSeconds(PATIENCE_S)).until(() -> finish.getCount() == 0);
                return "receipt-3";
            }));
            assertTrue(started.await(PATIENCE_S, TimeUnit.SECONDS));
            CompletableFuture<String> duplicate = exec.executeAsync("pay:3",
                    () -> CompletableFuture.completedFuture("other"));
            finish.countDown();
            assertEquals("receipt-3", owner.get(PATIENCE_S, TimeUnit.SECONDS));
            assertEquals("receipt-3", duplicate.get(PATIENCE_S, TimeUnit.SECONDS), "found on its re-check");
            assertEquals(0.0, meters.counter("latchkey.dedup.idempotency.unstored", "name", "payments").count(),
                    "every result was stored, and the executor knows it");
        }
    }

    private static long subscribers(EmbeddedRedis node, String channel) {
        return (Long) ((List<?>) node.command("PUBSUB", "NUMSUB", channel)).get(1);
    }
}
