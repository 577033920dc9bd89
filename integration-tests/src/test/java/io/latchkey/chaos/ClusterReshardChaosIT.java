package io.latchkey.chaos;

import io.latchkey.testing.EmbeddedRedisCluster;
import io.lettuce.core.resource.ClientResources;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code cluster/reshard}: slots holding live lock, limiter and dedup keys moved between masters under load. */
@Tag("chaos")
class ClusterReshardChaosIT {

    @Test
    void slotsMovedUnderLoadKeepEveryGuaranteeAndEveryKeyReachable() throws Exception {
        int seconds = Math.max(8, ChaosSettings.fromSystemProperties().seconds() * 3 / 4);
        ClientResources resources = TopologyChaos.resources();
        try (EmbeddedRedisCluster cluster = EmbeddedRedisCluster.start()) {
            ClusterReshardScenario s = new ClusterReshardScenario(cluster, resources);
            try {
                TopologyChaos.run(s, seconds).assertPassed();
            } finally {
                s.close();
            }
        } finally {
            resources.shutdown();
        }
    }
}
