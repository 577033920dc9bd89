package io.latchkey.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.spi.Internals;
import io.latchkey.core.spi.LuaScript;
import io.latchkey.core.spi.Notifications;
import io.latchkey.testing.EmbeddedRedisCluster;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The same client API on a 3-master Redis Cluster: scripts route by their hash-tagged keys, pub/sub reaches all. */
class ClusterTest {

    private static final LuaScript TWO_KEYS = LuaScript.of("two-keys",
            "redis.call('SET', KEYS[1], ARGV[1], 'PX', 60000) redis.call('SET', KEYS[2], ARGV[1], 'PX', 60000)"
                    + " return redis.call('GET', KEYS[2])");

    @Test
    void scriptsOnEveryMasterWorkFromTheFirstCall() throws Exception {
        try (EmbeddedRedisCluster cluster = EmbeddedRedisCluster.start();
             Latchkey lk = Latchkey.builder().uri(cluster.uris().get(0)).cluster(true).build()) {
            Set<Long> slots = new HashSet<>();
            for (int i = 0; i < 30; i++) {
                String name = "job-" + i;
                String[] keys = {Internals.of(lk).keys().key(name, "a"), Internals.of(lk).keys().key(name, "b")};
                slots.add(Internals.of(lk).redis().callSync(c -> c.clusterKeyslot(keys[0])) * 3 / 16384);
                // no warm-up: the first command routed to each master must succeed
                assertEquals("v" + i, Internals.of(lk).redis().evalSync(TWO_KEYS, ScriptOutputType.VALUE, keys, "v" + i));
            }
            assertEquals(3, slots.size(), "the names spread over all three masters");

            // NOSCRIPT on every master after a flush, recovered transparently
            for (var node : cluster.nodes()) {
                node.command("SCRIPT", "FLUSH");
            }
            for (int i = 0; i < 30; i++) {
                String name = "job-" + i;
                assertEquals("w", Internals.of(lk).redis().evalSync(TWO_KEYS, ScriptOutputType.VALUE,
                        new String[] {Internals.of(lk).keys().key(name, "a"), Internals.of(lk).keys().key(name, "b")}, "w"));
            }
        }
    }

    @Test
    void notificationsCrossTheCluster() throws Exception {
        try (EmbeddedRedisCluster cluster = EmbeddedRedisCluster.start();
             Latchkey lk = Latchkey.builder().uri(cluster.uris().get(0)).cluster(true).build();
             Latchkey other = Latchkey.builder().uri(cluster.uris().get(2)).cluster(true)
                     .commandTimeout(Duration.ofSeconds(2)).build()) {
            AtomicInteger received = new AtomicInteger();
            Notifications.Subscription sub = Internals.of(lk).notifications()
                    .subscribe(Internals.of(lk).keys().key("job-1", "released"), received::incrementAndGet).get(5, TimeUnit.SECONDS);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
                Internals.of(other).redis().callSync(c -> c.publish(Internals.of(lk).keys().key("job-1", "released"), "x"));
                return received.get() > 0;
            });
            sub.close();
            assertTrue(received.get() > 0);
        }
    }
}
