package io.latchkey.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.Latchkey;
import io.latchkey.core.ReleaseResult;
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

/** A lock's keys share one hash tag, so locks work on Redis Cluster, wake-ups and fenced writes included. */
class LockClusterTest {

    @Test
    void locksWorkAcrossTheSlotsOfAThreeMasterCluster() throws Exception {
        try (EmbeddedRedisCluster cluster = EmbeddedRedisCluster.start();
             Latchkey latchkey = Latchkey.builder().uri(cluster.uris().get(0)).cluster(true).build()) {
            LockOptions noTimer = LockOptions.builder().maxRecheck(Duration.ofSeconds(60)).build();
            Locks locks = Locks.of(latchkey);
            FencedResource store = locks.fencedResource("cluster-store");
            // one lock name per master
            Set<Long> masters = new HashSet<>();
            List<String> names = new ArrayList<>();
            for (int i = 0; i < 100 && masters.size() < 3; i++) {
                String name = "order:" + i;
                long slot = (Long) cluster.nodes().get(0).command("CLUSTER", "KEYSLOT",
                        latchkey.namespace() + ":{" + name + "}:lock");
                if (masters.add(slot * 3 / 16384)) { // node i owns slots [i*16384/3, (i+1)*16384/3)
                    names.add(name);
                }
            }
            assertEquals(3, masters.size(), "the locks are spread over all three masters");
            for (String name : names) {
                DistributedLock lock = locks.lock(name, noTimer);
                LockLease a = lock.tryAcquire(Duration.ofSeconds(30)).orElseThrow();
                assertTrue(lock.tryAcquire(Duration.ofSeconds(30)).isEmpty(), name);
                assertTrue(lock.isLocked());
                assertEquals(a.fencingToken(), lock.holder().orElseThrow().fencingToken());
                assertTrue(a.extend(Duration.ofSeconds(30)));
                assertTrue(store.write(name, "a", a.fencingToken(), Duration.ofMinutes(1)));

                CompletableFuture<Optional<LockLease>> waiter = lock.tryAcquireAsync(Duration.ofSeconds(30),
                        Duration.ofSeconds(50));
                assertEquals(ReleaseResult.RELEASED, a.release()); // its PUBLISH reaches the waiter through the cluster
                LockLease b = waiter.get(5, TimeUnit.SECONDS).orElseThrow();
                assertTrue(b.fencingToken() > a.fencingToken());
                assertTrue(store.write(name, "b", b.fencingToken(), Duration.ofMinutes(1)));
                assertFalse(store.write(name, "stale", a.fencingToken(), Duration.ofMinutes(1)));
                assertEquals("b", store.read(name).orElseThrow().value());
                assertEquals(ReleaseResult.RELEASED, b.release());
                assertFalse(lock.isLocked());
            }
        }
    }
}
