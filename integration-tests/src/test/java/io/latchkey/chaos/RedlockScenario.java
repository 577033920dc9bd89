package io.latchkey.chaos;

import io.latchkey.core.Latchkey;
import io.latchkey.lock.Locks;
import io.latchkey.lock.redlock.Redlock;
import io.latchkey.lock.redlock.RedlockOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Redlock over five independent nodes, three clients each with its own proxy to every node; the fenced counter
 * lives on a sixth node the nemesis never touches. Nodes 0-1 run with AOF (killed and restarted at once), nodes 2-4
 * without persistence (a killed one stays down longer than the max lease, as DESIGN §5 requires).
 *
 * <p>As the checker self-test ({@code selfTest}), every node runs without persistence and the only fault kills a
 * majority and restarts it at once, while holders keep the lock for a while: two clients MUST be seen holding it
 * together. Tokens must still increase (they are at least Redis TIME in µs).
 */
final class RedlockScenario extends Scenario {

    static final Duration LEASE = Duration.ofMillis(1000);
    static final Duration SELF_TEST_LEASE = Duration.ofMillis(2000);

    private final boolean selfTest;
    private LockWorkload workload;

    RedlockScenario(boolean selfTest) {
        super(selfTest ? "redlock-5/restart-without-persistence (self-test)" : "redlock-5/mixed");
        this.selfTest = selfTest;
    }

    @Override
    int nodes() {
        return 5;
    }

    @Override
    boolean aof(int n) {
        return !selfTest && n < 2;
    }

    @Override
    boolean resourceNode() {
        return true;
    }

    @Override
    int[] faultNodes() {
        return new int[] {0, 1, 2, 3, 4};
    }

    @Override
    List<Nemesis.Kind> faults() {
        if (selfTest) {
            return List.of(Nemesis.Kind.RESTART_MAJORITY_UNPERSISTED);
        }
        return List.of(Nemesis.Kind.NODE_PAUSE, Nemesis.Kind.KILL_RESTART, Nemesis.Kind.KILL_DELAYED_RESTART,
                Nemesis.Kind.PARTITION_MINORITY, Nemesis.Kind.PARTITION_ASYMMETRIC, Nemesis.Kind.LATENCY,
                Nemesis.Kind.RESET, Nemesis.Kind.CLOSE, Nemesis.Kind.DROP_REPLY, Nemesis.Kind.CLIENT_PAUSE);
    }

    @Override
    Duration maxLease() {
        return selfTest ? SELF_TEST_LEASE : LEASE;
    }

    @Override
    int seconds(int configured) {
        return selfTest ? Math.max(8, configured / 2) : configured;
    }

    @Override
    void setUp(ChaosRun run) {
        ChaosNodes n = run.nodes;
        RedlockOptions options = RedlockOptions.builder().nodeTimeout(Duration.ofMillis(150)).build();
        List<Latchkey> admin = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            admin.add(n.admin(i));
        }
        workload = new LockWorkload(clients(), c -> Redlock.of(n.clientToAll(c), options).lock("chaos:redlock"),
                Locks.of(n.resource()).fencedResource("chaos-resource"),
                Redlock.of(admin, options).lock("chaos:redlock"), maxLease(),
                Duration.ofMillis(selfTest ? 1500 : 400));
        if (selfTest) {
            workload.hold(SELF_TEST_LEASE.dividedBy(3)); // restarts must strike while the lock is held
        }
    }

    @Override
    void step(ChaosRun run, int client, Random random) throws Exception {
        workload.step(run, client, random);
    }

    @Override
    void finalPhase(ChaosRun run) {
        workload.finalPhase(run, maxLease());
    }

    @Override
    List<CheckResult> check(ChaosRun run, List<Op> ops) {
        return workload.check(run, ops, selfTest ? LockWorkload.Mode.HOLDERS_SELF_TEST : LockWorkload.Mode.SAFE);
    }
}
