package io.latchkey.dedup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.Latchkey;
import io.latchkey.testing.EmbeddedRedisCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Both strategies and the idempotent executor on a 3-master Redis Cluster: no CROSSSLOT, batches split per slot. */
class DedupClusterTest {

    private static EmbeddedRedisCluster cluster;
    private static Latchkey latchkey;

    @BeforeAll
    static void start() {
        cluster = EmbeddedRedisCluster.start();
        latchkey = Latchkey.builder().uri(cluster.uris().get(0)).cluster(true).build();
    }

    @AfterAll
    static void stop() {
        if (latchkey != null) {
            latchkey.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void batchesOfBothStrategiesWorkAcrossSlots() {
        assertTrue(latchkey.isCluster());
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            ids.add("order-" + i);
        }
        for (DedupStrategy strategy : DedupStrategy.values()) {
            Deduplicator d = Deduplicators.of(latchkey).deduplicator("cluster-" + strategy, Duration.ofMinutes(5),
                    DeduplicatorOptions.builder().strategy(strategy).build());
            assertTrue(d.firstSeen("order-7"));
            List<Boolean> first = d.firstSeen(ids);
            for (int i = 0; i < ids.size(); i++) {
                assertEquals(i != 7, first.get(i), strategy + " " + ids.get(i));
            }
            assertTrue(d.firstSeen(ids).stream().noneMatch(b -> b), strategy + ": all duplicates now");
            assertTrue(d.seen("order-299"));
            assertTrue(d.forget("order-299"));
            assertFalse(d.seen("order-299"));
            assertEquals(List.of(true, false), d.firstSeen(List.of("order-299", "order-299")));
        }
    }

    @Test
    void idempotentExecutionOnACluster() {
        IdempotentExecutor<String> ex = Deduplicators.of(latchkey).idempotency("cluster-pay",
                IdempotencyOptions.defaults());
        for (int i = 0; i < 20; i++) {
            String key = "k" + i;
            assertEquals("r" + i, ex.execute(key, "p", () -> key.replace('k', 'r')));
            assertEquals("r" + i, ex.execute(key, "p", () -> "again"));
        }
    }
}
