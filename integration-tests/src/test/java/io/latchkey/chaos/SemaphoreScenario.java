package io.latchkey.chaos;

import static org.awaitility.Awaitility.await;

import io.latchkey.core.LatchkeyException;
import io.latchkey.semaphore.DistributedSemaphore;
import io.latchkey.semaphore.Permit;
import io.latchkey.semaphore.Semaphores;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;

/**
 * A semaphore of {@link #PERMITS} permits on node 1 (AOF), four clients contending for it with short holds, under
 * the full fault mix. At most N believed holds at any instant; after the final heal and the max lease, every permit
 * is free again (none leaked by a crashed, paused or cut-off holder).
 */
final class SemaphoreScenario extends Scenario {

    static final int PERMITS = 2;
    static final Duration LEASE = Duration.ofMillis(1000);
    private static final int NODE = 1;

    private DistributedSemaphore[] semaphores;
    private DistributedSemaphore admin;

    SemaphoreScenario() {
        super("semaphore-" + PERMITS + "/mixed");
    }

    @Override
    int nodes() {
        return 3;
    }

    @Override
    int clients() {
        return 4;
    }

    @Override
    boolean aof(int n) {
        return n == NODE;
    }

    @Override
    int[] faultNodes() {
        return new int[] {NODE};
    }

    @Override
    List<Nemesis.Kind> faults() {
        return List.of(Nemesis.Kind.NODE_PAUSE, Nemesis.Kind.KILL_RESTART, Nemesis.Kind.KILL_DELAYED_RESTART,
                Nemesis.Kind.PARTITION_MINORITY, Nemesis.Kind.LATENCY, Nemesis.Kind.RESET, Nemesis.Kind.CLOSE,
                Nemesis.Kind.DROP_REPLY, Nemesis.Kind.CLIENT_PAUSE);
    }

    @Override
    Duration maxLease() {
        return LEASE;
    }

    @Override
    void setUp(ChaosRun run) {
        semaphores = new DistributedSemaphore[clients()];
        for (int c = 0; c < clients(); c++) {
            semaphores[c] = Semaphores.of(run.nodes.client(c, NODE)).semaphore("chaos-sem", PERMITS);
        }
        admin = Semaphores.of(run.nodes.admin(NODE)).semaphore("chaos-sem", PERMITS);
    }

    @Override
    void step(ChaosRun run, int client, Random random) throws Exception {
        History h = run.history;
        long inv = h.now();
        Optional<Permit> acquired;
        try {
            acquired = semaphores[client].tryAcquire(LEASE, Duration.ofMillis(300));
        } catch (LatchkeyException e) {
            h.add(new Op(client, "acquire", null, inv, h.now(), Outcome.of(e), null, null, null,
                    e.getClass().getSimpleName()));
            return;
        }
        long cmp = h.now();
        if (acquired.isEmpty()) {
            h.add(Op.ok(client, "acquire", null, inv, cmp).withValue(0L));
            return;
        }
        Permit p = acquired.get();
        long before = h.now();
        long deadline = before + p.remaining().toNanos();
        h.add(Op.ok(client, "acquire", p.id(), inv, cmp).withValue(1L).withDeadline(deadline));
        try {
            run.pauses.maybePause(client, h);
            LockSupport.parkNanos(Duration.ofMillis(5 + random.nextInt(20)).toNanos()); // the "work"
        } finally {
            long rinv = h.now();
            try {
                p.release();
                h.add(Op.ok(client, "release", p.id(), rinv, h.now()));
            } catch (LatchkeyException e) {
                h.add(new Op(client, "release", p.id(), rinv, h.now(), Outcome.of(e), null, null, null,
                        e.getClass().getSimpleName()));
            }
        }
    }

    @Override
    void finalPhase(ChaosRun run) {
        History h = run.history;
        // no leaked permits: once every lease has run out, all N are free
        await("all " + PERMITS + " permits free once the max lease passed").pollDelay(LEASE.plusMillis(200))
                .atMost(LEASE.plusSeconds(20)).ignoreExceptions()
                .until(() -> admin.availablePermits() == PERMITS);
        run.state.put("availableAfterLease", (long) admin.availablePermits());
        for (int c = 0; c < clients(); c++) {
            int client = c;
            await("client " + c + " acquires after healing").atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
                        long inv = h.now();
                        Optional<Permit> p = semaphores[client].tryAcquire(LEASE, Duration.ofSeconds(1));
                        if (p.isEmpty()) {
                            return false;
                        }
                        long cmp = h.now();
                        long deadline = h.now() + p.get().remaining().toNanos();
                        h.add(Op.ok(client, "acquire", p.get().id(), inv, cmp).withValue(1L).withDeadline(deadline)
                                .withInfo("final"));
                        long rinv = h.now();
                        p.get().release();
                        h.add(Op.ok(client, "release", p.get().id(), rinv, h.now()));
                        return true;
                    });
        }
    }

    @Override
    List<CheckResult> check(ChaosRun run, List<Op> ops) {
        List<CheckResult> checks = new ArrayList<>();
        checks.add(HoldChecker.check("holders<=" + PERMITS, ops, "acquire", "release", PERMITS));
        Long available = run.get("availableAfterLease");
        List<String> leak = new ArrayList<>();
        if (available == null || available != PERMITS) {
            leak.add("available after the max lease: " + available + " of " + PERMITS);
        }
        checks.add(CheckResult.of("no leaked permits", leak, 0, "available after heal + max lease: "
                + available + "/" + PERMITS));
        return checks;
    }
}
