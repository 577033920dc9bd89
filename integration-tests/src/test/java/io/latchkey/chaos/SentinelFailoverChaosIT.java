package io.latchkey.chaos;

import io.latchkey.testing.EmbeddedRedis;
import io.latchkey.testing.EmbeddedRedisSentinel;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code sentinel/failover}: locks through Sentinel while primaries are killed or frozen and replicas promoted,
 * without and with {@code LockOptions.replicas} (WAIT), and the lagging-replica failover that loses a grant
 * (see docs/deployment-topologies.md for the figures).
 */
@Tag("chaos")
class SentinelFailoverChaosIT {

    private static ClientResources resources;
    private static EmbeddedRedis resourceNode;

    @BeforeAll
    static void start() {
        resources = TopologyChaos.resources();
        resourceNode = EmbeddedRedis.start();
    }

    @AfterAll
    static void stop() {
        if (resourceNode != null) {
            resourceNode.close();
        }
        if (resources != null) {
            resources.shutdown();
        }
    }

    /**
     * A third of the chaos budget each: without WAIT (reported: Sentinel's asynchronous replication gives no guarantee,
     * whatever the count), then with {@code replicas(1, 200ms)}, which must show no violation.
     */
    @Test
    void killedAndFrozenPrimariesUnderLoad() throws Exception {
        int seconds = Math.max(6, ChaosSettings.fromSystemProperties().seconds() / 3);
        try (EmbeddedRedisSentinel sentinel = EmbeddedRedisSentinel.builder().downAfter(Duration.ofMillis(800)).start()) {
            SentinelFailoverScenario plain = new SentinelFailoverScenario(
                    "sentinel-3/failover (no WAIT; reported, not guaranteed)", sentinel, resourceNode, resources,
                    false, false);
            try {
                ChaosReport report = TopologyChaos.run(plain, seconds);
                if (report.finalError != null) {
                    throw new AssertionError(report.details());
                }
            } finally {
                plain.close();
            }
            sentinel.awaitHealthy();
            SentinelFailoverScenario waiting = new SentinelFailoverScenario("sentinel-3/failover+wait", sentinel,
                    resourceNode, resources, true, false);
            try {
                TopologyChaos.run(waiting, seconds).assertPassed();
            } finally {
                waiting.close();
            }
        }
    }

    /** Replication cut off, a grant on the primary alone, the primary killed: two holders without WAIT, none with. */
    @Test
    void laggingReplicasLoseAGrantUnlessTheLockWaitsForThem() throws Exception {
        for (boolean wait : new boolean[] {false, true}) {
            try (EmbeddedRedisSentinel sentinel = EmbeddedRedisSentinel.builder().proxiedReplication(true)
                    .downAfter(Duration.ofMillis(500)).start()) {
                SentinelFailoverScenario s = new SentinelFailoverScenario(wait
                        ? "sentinel-3/failover-lagging-replicas+wait"
                        : "sentinel-3/failover-lagging-replicas (self-test)", sentinel, resourceNode, resources, wait,
                        true);
                try {
                    TopologyChaos.run(s, 5).assertPassed();
                } finally {
                    s.close();
                }
            }
        }
    }
}
