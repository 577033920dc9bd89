package io.latchkey.chaos;

import static org.awaitility.Awaitility.await;

import io.latchkey.core.Latchkey;
import io.latchkey.lock.LockOptions;
import io.latchkey.lock.Locks;
import io.latchkey.testing.EmbeddedRedis;
import io.latchkey.testing.EmbeddedRedisSentinel;
import io.latchkey.testing.FaultProxy;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Single-instance locks on a Sentinel deployment (a primary, two replicas, three sentinels), three clients
 * connected through the sentinels, the fenced counter on a separate node. Faults are failovers: the primary killed
 * (SIGKILL) or frozen (SIGSTOP) until the sentinels promote a replica, then healed (restarted or resumed, and
 * demoted to a replica by the sentinels).
 *
 * <p>With {@code lagging} (the self-test shape) the only fault cuts replication off first (the replicas replicate
 * through a proxy put into BLACKHOLE), lets a grant land on the primary alone, and then kills it: the promoted
 * replica never saw the grant, so without {@code WAIT} a second client MUST be seen holding the lock while the first
 * still believes it does. With {@link LockOptions#replicas()} the unreplicated grant is refused instead.
 */
final class SentinelFailoverScenario extends TopologyChaos.Scenario {

    static final Duration LEASE = Duration.ofMillis(1000);
    static final Duration LAGGING_LEASE = Duration.ofMillis(5000);
    static final Duration REPLICA_WAIT = Duration.ofMillis(200);

    private final EmbeddedRedisSentinel sentinel;
    private final EmbeddedRedis resourceNode;
    private final ClientResources resources;
    private final boolean wait;
    private final boolean lagging;
    private final List<Latchkey> opened = new ArrayList<>();
    private LockWorkload workload;
    private boolean laggingDone;

    SentinelFailoverScenario(String name, EmbeddedRedisSentinel sentinel, EmbeddedRedis resourceNode,
                             ClientResources resources, boolean wait, boolean lagging) {
        super(name);
        this.sentinel = sentinel;
        this.resourceNode = resourceNode;
        this.resources = resources;
        this.wait = wait;
        this.lagging = lagging;
    }

    private Duration lease() {
        return lagging ? LAGGING_LEASE : LEASE;
    }

    private Latchkey client(String uri) {
        Latchkey l = Latchkey.builder().uri(uri).commandTimeout(Duration.ofMillis(500)).clientResources(resources)
                .build();
        opened.add(l);
        return l;
    }

    @Override
    void setUp(ChaosRun run) {
        LockOptions options = wait ? LockOptions.builder().replicas(1, REPLICA_WAIT).build() : LockOptions.defaults();
        String lockName = "chaos:sentinel-" + ChaosRunner.fileName(name);
        List<Latchkey> clients = new ArrayList<>();
        for (int c = 0; c < clients(); c++) {
            clients.add(client(sentinel.sentinelUri()));
        }
        Latchkey admin = client(sentinel.sentinelUri());
        Latchkey resource = client(resourceNode.uri());
        workload = new LockWorkload(clients(), c -> Locks.of(clients.get(c)).lock(lockName, options),
                Locks.of(resource).fencedResource("chaos-resource-" + ChaosRunner.fileName(name)),
                Locks.of(admin).lock(lockName), lease(), Duration.ofMillis(lagging ? 300 : 400));
        if (lagging) {
            workload.hold(LAGGING_LEASE.minusMillis(500)); // the first holder still holds when the promotion lands
            // cut replication off before the first grant: every grant from now on lives on the primary alone
            sentinel.replicationProxy().mode(FaultProxy.Mode.BLACKHOLE);
        }
    }

    @Override
    Duration healthyGap(Random random) {
        return lagging ? Duration.ofMillis(1) : super.healthyGap(random); // cut before the first grant
    }

    @Override
    void step(ChaosRun run, int client, Random random) throws Exception {
        workload.step(run, client, random);
    }

    @Override
    String fault(ChaosRun run, Random random) throws Exception {
        if (lagging) {
            if (laggingDone) {
                return null;
            }
            laggingDone = true;
            FaultProxy link = sentinel.replicationProxy(); // cut off since setUp
            // once a client was granted the lock on the cut-off primary, take the primary away
            await("a grant on the cut-off primary").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                    .until(() -> run.history.ops().stream().anyMatch(o -> o.f().equals("acquire")
                            // with WAIT the grant is refused (and released) instead
                            && (wait ? !o.ok() : o.ok() && o.value() != null && o.value() == 1)));
            EmbeddedRedis old = sentinel.killPrimary();
            sentinel.awaitPrimaryOtherThan(old);
            link.mode(FaultProxy.Mode.PASS); // nobody replicates through it any more
            sentinel.awaitHealthy();
            return "failover-lagging-replicas";
        }
        if (random.nextBoolean()) {
            EmbeddedRedis old = sentinel.killPrimary();
            sentinel.awaitPrimaryOtherThan(old);
            sentinel.awaitHealthy(); // restarted empty; the sentinels turn it into a replica of the new primary
            return "failover-kill";
        }
        EmbeddedRedis old = sentinel.pausePrimary();
        sentinel.awaitPrimaryOtherThan(old);
        sentinel.awaitHealthy(); // resumed; the sentinels demote it and kill its clients' connections
        return "failover-pause";
    }

    @Override
    void finalPhase(ChaosRun run) {
        workload.finalPhase(run, lease());
    }

    @Override
    List<CheckResult> check(ChaosRun run, List<Op> ops) {
        return workload.check(run, ops, lagging && !wait ? LockWorkload.Mode.HOLDERS_SELF_TEST : LockWorkload.Mode.SAFE);
    }

    @Override
    int minOk(int seconds) {
        return lagging ? 10 : super.minOk(seconds);
    }

    @Override
    int minFaults(int seconds) {
        return 1;
    }

    @Override
    Map<String, Map<String, Long>> scanTtls() {
        Map<String, Map<String, Long>> byNode = new LinkedHashMap<>();
        try (Latchkey primary = Latchkey.connect(sentinel.primary().uri());
             Latchkey resource = Latchkey.connect(resourceNode.uri())) {
            byNode.put("primary", TtlChecker.scan(primary));
            byNode.put("resource", TtlChecker.scan(resource));
        }
        return byNode;
    }

    void close() {
        opened.forEach(Latchkey::close);
    }
}
