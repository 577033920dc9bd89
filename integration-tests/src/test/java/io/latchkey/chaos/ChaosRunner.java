package io.latchkey.chaos;

import static org.awaitility.Awaitility.await;

import io.latchkey.core.Latchkey;
import io.latchkey.core.LatchkeyException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a {@link Scenario}: start the nodes; a fault-free warm-up if it wants one; workers plus the nemesis for the
 * configured seconds; heal everything; the final phase; a SCAN of every node for keys without TTL; the checkers;
 * the history file and the summary line.
 */
final class ChaosRunner {

    /** Held so the JUL configuration sticks: reconnect chatter of dozens of faulted connections drowns the report. */
    private static final List<java.util.logging.Logger> QUIET = List.of(
            java.util.logging.Logger.getLogger("io.lettuce"), java.util.logging.Logger.getLogger("io.netty"));

    static {
        QUIET.forEach(l -> l.setLevel(java.util.logging.Level.SEVERE));
    }

    private ChaosRunner() {
    }

    static ChaosReport run(Scenario s) throws Exception {
        ChaosSettings settings = ChaosSettings.fromSystemProperties();
        int seconds = s.seconds(settings.seconds());
        long seed = settings.seedFor(s.name());
        System.out.printf("chaos: %s seed=%d (scenario seed %d; replay with -Dchaos.seed=%d) %ds%n", s.name(),
                settings.seed(), seed, settings.seed(), seconds);
        long started = System.nanoTime();
        try (ChaosNodes nodes = ChaosNodes.start(s.nodes(), s.clients(), s::aof, s.commandTimeout(),
                s.resourceNode())) {
            History history = new History();
            ClientPauses pauses = new ClientPauses();
            ChaosRun run = new ChaosRun(nodes, history, pauses, seed, seconds);
            s.setUp(run);
            long setUpDone = System.nanoTime();
            ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();

            if (!s.cleanPhase().isZero()) {
                run.phase(ChaosRun.Phase.CLEAN);
                runWorkers(s, run, seed, s.cleanPhase(), null, unexpected);
            }

            run.phase(ChaosRun.Phase.CHAOS);
            Nemesis nemesis = new Nemesis(nodes, s.faultNodes(), history, seed, s.faults(), s.maxLease(), pauses);
            Map<String, Map<String, Long>> ttlsDuringChaos;
            String sampling;
            try (TtlChecker.Sampler sampler = new TtlChecker.Sampler(nodes, Duration.ofSeconds(1))) {
                runWorkers(s, run, seed + 1, Duration.ofSeconds(seconds), nemesis, unexpected);
                ttlsDuringChaos = sampler.stop();
                sampling = sampler.scans() + " node scans during the chaos (" + sampler.failed() + " failed)";
            }
            long chaosDone = System.nanoTime();

            run.phase(ChaosRun.Phase.FINAL);
            String finalError = null;
            try {
                s.finalPhase(run);
            } catch (AssertionError | Exception e) {
                finalError = e.toString();
            }

            long finalDone = System.nanoTime();
            CheckResult ttls = null;
            try {
                ttls = TtlChecker.check(scanTtls(nodes), ttlsDuringChaos, sampling, TtlChecker.KNOWN);
            } catch (RuntimeException e) {
                finalError = (finalError == null ? "" : finalError + "; ") + "TTL scan: " + e;
            }
            List<Op> ops = history.ops();
            List<CheckResult> checks = new ArrayList<>(s.check(run, ops));
            if (ttls != null) {
                checks.add(ttls);
            }
            checks.add(CheckResult.of("no raw exceptions", List.copyOf(unexpected), 0,
                    "operations fail only with LatchkeyException"));
            String file = fileName(s.name()) + "-" + settings.seed() + ".jsonl";
            history.write(settings.outputDir().resolve(file));
            ChaosReport report = new ChaosReport(s.name(), settings.seed(), seconds, ops, nemesis.counts(),
                    history.faults().size(), checks, finalError, s.minOk(seconds), s.minFaults(seconds),
                    nemesis.schedule(), Duration.ofNanos(System.nanoTime() - started),
                    String.format("setup %.1fs, clean+chaos+stop %.1fs, final %.1fs, check+write %.1fs",
                            (setUpDone - started) / 1e9, (chaosDone - setUpDone) / 1e9,
                            (finalDone - chaosDone) / 1e9, (System.nanoTime() - finalDone) / 1e9));
            ChaosSummary.add(report);
            System.out.println(report.details());
            return report;
        }
    }

    private static void runWorkers(Scenario s, ChaosRun run, long seed, Duration length, Nemesis nemesis,
                                   ConcurrentLinkedQueue<String> unexpected) throws InterruptedException {
        run.running(true);
        List<Thread> threads = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(s.clients());
        for (int c = 0; c < s.clients(); c++) {
            int client = c;
            Random random = new Random(seed * 31 + c);
            Thread t = new Thread(() -> {
                try {
                    while (run.running()) {
                        try {
                            s.step(run, client, random);
                        } catch (LatchkeyException e) {
                            // a step that did not record its own failure: nothing to check, keep going
                        } catch (InterruptedException e) {
                            return;
                        } catch (Exception | AssertionError e) {
                            if (unexpected.size() < 20) {
                                unexpected.add("p" + client + ": " + e);
                            }
                        }
                    }
                } finally {
                    done.countDown();
                }
            }, "chaos-client-" + c);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        if (nemesis != null) {
            nemesis.start();
        }
        try {
            // the phase's length is the point of waiting here; workers run until it passes
            if (done.await(length.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("every worker stopped before the phase ended: " + unexpected);
            }
        } finally {
            run.running(false);
            if (nemesis != null) {
                nemesis.stopAndHeal();
            }
            if (!done.await(60, TimeUnit.SECONDS)) {
                threads.forEach(Thread::interrupt);
                done.await(10, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * The namespace's keys and their PTTLs on every node and the resource node, after the final phase. A node
     * restarted by the heal may take a moment to be reachable again from its admin client: retried for 20 s.
     */
    static Map<String, Map<String, Long>> scanTtls(ChaosNodes nodes) {
        Map<String, Map<String, Long>> byNode = new LinkedHashMap<>();
        nodes.admins().forEach((label, admin) -> byNode.put(label, scanWithRetry(admin, label)));
        return byNode;
    }

    private static Map<String, Long> scanWithRetry(Latchkey admin, String label) {
        AtomicReference<Map<String, Long>> result = new AtomicReference<>();
        await("SCAN of " + label).atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
                    result.set(TtlChecker.scan(admin));
                    return true;
                });
        return result.get();
    }

    /** {@code lock-1/unfenced-client-pause (self-test)} → {@code lock-1-unfenced-client-pause-self-test}. */
    static String fileName(String scenario) {
        return scenario.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("-+$", "");
    }

    /** Outcome counts of the clients' operations, for the summary. */
    static Map<Outcome, Long> outcomes(List<Op> ops) {
        Map<Outcome, Long> m = new java.util.EnumMap<>(Outcome.class);
        for (Outcome o : Outcome.values()) {
            m.put(o, 0L);
        }
        ops.forEach(o -> m.merge(o.outcome(), 1L, Long::sum));
        return m;
    }
}
