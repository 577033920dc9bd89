package io.latchkey.chaos;

import io.latchkey.lock.Locks;
import java.time.Duration;
import java.util.List;
import java.util.Random;

/**
 * Single-instance lock on node 0 (AOF, so a kill + immediate restart keeps acknowledged locks), fenced counter on
 * node 2 (never faulted), node 1 spare. Three clients contend for one lock.
 *
 * <p>As the checker self-test ({@code selfTest}), the only fault is a client pause longer than the lease inside the
 * critical section: the unfenced writers MUST be seen overlapping while the fenced resource stays consistent.
 */
final class LockScenario extends Scenario {

    static final Duration LEASE = Duration.ofMillis(1000);

    private final boolean selfTest;
    private LockWorkload workload;

    LockScenario(boolean selfTest) {
        super(selfTest ? "lock-1/unfenced-client-pause (self-test)" : "lock-1/mixed");
        this.selfTest = selfTest;
    }

    @Override
    int nodes() {
        return 3;
    }

    @Override
    boolean aof(int n) {
        return n == 0;
    }

    @Override
    int[] faultNodes() {
        return new int[] {0};
    }

    @Override
    List<Nemesis.Kind> faults() {
        if (selfTest) {
            return List.of(Nemesis.Kind.CLIENT_PAUSE);
        }
        return List.of(Nemesis.Kind.NODE_PAUSE, Nemesis.Kind.KILL_RESTART, Nemesis.Kind.KILL_DELAYED_RESTART,
                Nemesis.Kind.PARTITION_MINORITY, Nemesis.Kind.LATENCY, Nemesis.Kind.RESET, Nemesis.Kind.CLOSE,
                Nemesis.Kind.DROP_REPLY, Nemesis.Kind.CLIENT_PAUSE);
    }

    @Override
    Duration maxLease() {
        return LEASE;
    }

    @Override
    int seconds(int configured) {
        return selfTest ? Math.max(6, configured / 2) : configured;
    }

    @Override
    void setUp(ChaosRun run) {
        ChaosNodes n = run.nodes;
        workload = new LockWorkload(clients(), c -> Locks.of(n.client(c, 0)).lock("chaos:lock"),
                Locks.of(n.admin(2)).fencedResource("chaos-resource"),
                Locks.of(n.admin(0)).lock("chaos:lock"), LEASE, Duration.ofMillis(400));
    }

    @Override
    void step(ChaosRun run, int client, Random random) throws Exception {
        workload.step(run, client, random);
    }

    @Override
    void finalPhase(ChaosRun run) {
        workload.finalPhase(run, LEASE);
    }

    @Override
    List<CheckResult> check(ChaosRun run, List<Op> ops) {
        return workload.check(run, ops,
                selfTest ? LockWorkload.Mode.UNFENCED_SELF_TEST : LockWorkload.Mode.SAFE);
    }
}
