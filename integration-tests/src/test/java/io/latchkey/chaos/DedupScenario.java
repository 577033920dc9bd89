package io.latchkey.chaos;

import static org.awaitility.Awaitility.await;

import io.latchkey.core.LatchkeyException;
import io.latchkey.dedup.Deduplicator;
import io.latchkey.dedup.Deduplicators;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * A deduplicator on node 2 (AOF) used like a message consumer: every message id is delivered twice (two clients
 * race on it), and a delivery whose claim failed or timed out is redelivered later, as a broker would. A fault-free
 * warm-up phase comes first. Ids are accepted at most once; without faults exactly once; never lost.
 */
final class DedupScenario extends Scenario {

    private static final int NODE = 2;

    /** One delivery of a message id. */
    private record Delivery(String id, boolean redelivery) {
    }

    private final ConcurrentLinkedDeque<Delivery> queue = new ConcurrentLinkedDeque<>();
    private Deduplicator[] deduplicators;

    DedupScenario() {
        super("dedup/mixed");
    }

    @Override
    int nodes() {
        return 3;
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
                Nemesis.Kind.DROP_REPLY);
    }

    @Override
    Duration maxLease() {
        return Duration.ofMillis(1000); // nothing leased; the final phase still waits out any in-flight re-sends
    }

    @Override
    Duration cleanPhase() {
        return Duration.ofSeconds(2);
    }

    @Override
    void setUp(ChaosRun run) {
        deduplicators = new Deduplicator[clients()];
        for (int c = 0; c < clients(); c++) {
            deduplicators[c] = Deduplicators.of(run.nodes.client(c, NODE)).deduplicator("chaos-dedup",
                    Duration.ofHours(1));
        }
    }

    @Override
    void step(ChaosRun run, int client, Random random) {
        Delivery d = queue.pollFirst();
        if (d == null) {
            String prefix = run.phase() == ChaosRun.Phase.CLEAN ? "clean-" : "id-";
            d = new Delivery(prefix + run.sequence.incrementAndGet(), false);
            queue.addFirst(new Delivery(d.id(), false)); // the duplicate delivery, for the next free client
        }
        deliver(run, client, d, true);
        LockSupport.parkNanos(Duration.ofMillis(1 + random.nextInt(3)).toNanos()); // a consumer's own work
    }

    private boolean deliver(ChaosRun run, int client, Delivery d, boolean requeue) {
        History h = run.history;
        long inv = h.now();
        try {
            boolean first = deduplicators[client].firstSeen(d.id());
            h.add(Op.ok(client, "claim", d.id(), inv, h.now()).withValue(first ? 1L : 0L)
                    .withInfo(d.redelivery() ? "redelivery" : null));
            return true;
        } catch (LatchkeyException e) {
            h.add(new Op(client, "claim", d.id(), inv, h.now(), Outcome.of(e), null, null, null,
                    (d.redelivery() ? "redelivery " : "") + e.getClass().getSimpleName()));
            if (requeue) {
                queue.addLast(new Delivery(d.id(), true));
            }
            return false;
        }
    }

    @Override
    void finalPhase(ChaosRun run) {
        // every pending (re)delivery gets a definite answer now that the network healed
        for (Delivery d; (d = queue.pollFirst()) != null; ) {
            Delivery pending = new Delivery(d.id(), true);
            await("redelivery of " + d.id() + " answered").atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(100)).until(() -> deliver(run, 0, pending, false));
        }
        for (int i = 0; i < 5; i++) {
            Delivery fresh = new Delivery("final-" + i, false);
            int client = i % clients();
            await("fresh id answered").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> deliver(run, client, fresh, false));
        }
        long accepted = run.history.ops().stream().filter(o -> o.f().equals("claim") && o.key().startsWith("final-")
                && o.ok() && o.value() == 1).count();
        if (accepted != 5) {
            throw new AssertionError("fresh ids after healing: " + accepted + " of 5 accepted");
        }
    }

    @Override
    List<CheckResult> check(ChaosRun run, List<Op> ops) {
        List<CheckResult> checks = new ArrayList<>();
        checks.add(DedupChecker.atMostOnce(ops));
        checks.add(DedupChecker.exactlyOnceWithoutFaults(ops));
        return checks;
    }
}
