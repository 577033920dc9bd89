package io.latchkey.semaphore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.Latchkey;
import io.latchkey.testing.EmbeddedRedisCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Every script's keys share one hash tag, so semaphores work on Redis Cluster, wake-ups included. */
class SemaphoreClusterTest {

    @Test
    void semaphoresWorkAcrossTheSlotsOfAThreeMasterCluster() throws Exception {
        try (EmbeddedRedisCluster cluster = EmbeddedRedisCluster.start();
             Latchkey latchkey = Latchkey.builder().uri(cluster.uris().get(0)).cluster(true).build()) {
            SemaphoreOptions noTimer = SemaphoreOptions.builder().maxRecheck(Duration.ofSeconds(60)).build();
            Semaphores semaphores = Semaphores.of(latchkey);
            // names chosen to land on different masters
            List<DistributedSemaphore> all = new ArrayList<>();
            for (String name : List.of("uploads", "exports", "reports", "imports", "mails")) {
                all.add(semaphores.semaphore(name, 2, noTimer));
            }
            Set<Long> masters = new HashSet<>();
            for (DistributedSemaphore s : all) {
                long slot = (Long) cluster.nodes().get(0).command("CLUSTER", "KEYSLOT",
                        latchkey.namespace() + ":{" + s.name() + "}:permits");
                masters.add(slot * 3 / 16384); // node i owns slots [i*16384/3, (i+1)*16384/3)
            }
            assertEquals(3, masters.size(), "the semaphores are spread over all three masters");
            for (DistributedSemaphore s : all) {
                Permit a = s.tryAcquire(Duration.ofSeconds(30)).orElseThrow();
                Permit b = s.tryAcquire(Duration.ofSeconds(30)).orElseThrow();
                assertTrue(s.tryAcquire(Duration.ofSeconds(30)).isEmpty(), s.name());
                assertTrue(a.extend(Duration.ofSeconds(30)));
                assertEquals(2, s.stats().peak());
                assertEquals(2, s.holders().size());

                CompletableFuture<Optional<Permit>> waiter = s.tryAcquireAsync(Duration.ofSeconds(30),
                        Duration.ofSeconds(50));
                a.release(); // the release script's PUBLISH reaches the waiter through the cluster
                Permit c = waiter.get(5, TimeUnit.SECONDS).orElseThrow();
                assertEquals(1, s.resize(1) - 1);
                assertFalse(s.tryAcquire(Duration.ofSeconds(30)).isPresent());
                b.release();
                c.release();
                assertEquals(1, s.availablePermits());
            }
        }
    }
}
