package io.latchkey.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class EmbeddedRedisClusterTest {

    @Test
    void threeMastersServeKeysInEverySlotRange() {
        try (EmbeddedRedisCluster cluster = EmbeddedRedisCluster.start()) {
            assertEquals(3, cluster.nodes().size());
            assertEquals(3, cluster.uris().size());
            for (EmbeddedRedis node : cluster.nodes()) {
                Object info = node.command("CLUSTER", "INFO");
                assertEquals("ok", Resp.infoField(info, "cluster_state"));
                assertEquals("3", Resp.infoField(info, "cluster_size"));
                assertEquals("16384", Resp.infoField(info, "cluster_slots_assigned"));
            }
            List<RedisURI> seeds = cluster.uris().stream().map(RedisURI::create).collect(Collectors.toList());
            RedisClusterClient client = RedisClusterClient.create(Clients.RESOURCES, seeds);
            try (StatefulRedisClusterConnection<String, String> c = client.connect()) {
                // one key per master's slot range
                String[] keys = {"a", "b", "c", "d", "e", "f", "g", "h"};
                Set<Integer> owners = new HashSet<>();
                for (String k : keys) {
                    owners.add(SlotHash.getSlot(k) * 3 / 16384);
                    c.sync().set(k, "v-" + k);
                }
                assertEquals(3, owners.size(), "keys spread over the three masters");
                for (String k : keys) {
                    assertEquals("v-" + k, c.sync().get(k));
                }
                // each master holds only its own slots' keys
                long total = 0;
                for (EmbeddedRedis node : cluster.nodes()) {
                    long n = (Long) node.command("DBSIZE");
                    assertTrue(n > 0, node + " holds keys");
                    total += n;
                }
                assertEquals(keys.length, total);
            } finally {
                Clients.shutdown(client);
            }
        }
    }
}
