package io.latchkey.chaos;

import io.latchkey.core.LatchkeyException;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs a chaos scenario on a replicated or sharded deployment (Sentinel, Cluster), where {@link ChaosRunner}'s
 * per-client proxies to independent nodes do not apply: the clients connect as users do (through the sentinels,
 * or to the cluster), and the faults are the deployment's own events (a primary killed or frozen and a replica
 * promoted; slots migrated between masters). Same histories, checkers, report and summary line as the suite, and
 * the TTL check over every data node after the final phase (not the once-a-second sampling during the chaos).
 */
final class TopologyChaos {

    /** One scenario on one deployment: the workload, one fault (injected and healed), the final phase, checks. */
    abstract static class Scenario {
        final String name;

        Scenario(String name) {
            this.name = name;
        }

        int clients() {
            return 3;
        }

        /** Healthy time between two faults. */
        Duration healthyGap(Random random) {
            return Duration.ofMillis(500 + random.nextInt(1000));
        }

        abstract void setUp(ChaosRun run) throws Exception;

        abstract void step(ChaosRun run, int client, Random random) throws Exception;

        /**
         * Injects one fault and heals it before returning; the category it counts under in the summary, or
         * {@code null} when the scenario has no more faults to deal.
         */
        abstract String fault(ChaosRun run, Random random) throws Exception;

        abstract void finalPhase(ChaosRun run) throws Exception;

        abstract List<CheckResult> check(ChaosRun run, List<Op> ops);

        /** After the final phase: every data node's keys of the namespace with their PTTL (node label → key → ms). */
        abstract Map<String, Map<String, Long>> scanTtls();

        int minOk(int seconds) {
            return 5 * seconds;
        }

        int minFaults(int seconds) {
            return Math.max(1, seconds / 8);
        }
    }

    private TopologyChaos() {
    }

    /** Client resources that reconnect within 200 ms (Lettuce's default backoff grows to 30 s). */
    static ClientResources resources() {
        return DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(5), Duration.ofMillis(200), 2, TimeUnit.MILLISECONDS))
                .build();
    }

    static ChaosReport run(Scenario s, int seconds) throws Exception {
        ChaosSettings settings = ChaosSettings.fromSystemProperties();
        long seed = settings.seedFor(s.name);
        System.out.printf("chaos: %s seed=%d (scenario seed %d; replay with -Dchaos.seed=%d) %ds%n", s.name,
                settings.seed(), seed, settings.seed(), seconds);
        long started = System.nanoTime();
        History history = new History();
        ChaosRun run = new ChaosRun(null, history, new ClientPauses(), seed, seconds);
        s.setUp(run);
        long setUpDone = System.nanoTime();
        ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
        Map<String, Integer> counts = Collections.synchronizedMap(new LinkedHashMap<>());
        List<String> schedule = Collections.synchronizedList(new ArrayList<>());
        run.phase(ChaosRun.Phase.CHAOS);
        runWorkers(s, run, seed, seconds, counts, schedule, unexpected);
        long chaosDone = System.nanoTime();
        run.phase(ChaosRun.Phase.FINAL);
        String finalError = null;
        try {
            s.finalPhase(run);
        } catch (AssertionError | Exception e) {
            finalError = e.toString();
        }
        long finalDone = System.nanoTime();
        List<Op> ops = history.ops();
        List<CheckResult> checks = new ArrayList<>(s.check(run, ops));
        try {
            checks.add(TtlChecker.check(s.scanTtls(), TtlChecker.KNOWN));
        } catch (RuntimeException e) {
            finalError = (finalError == null ? "" : finalError + "; ") + "TTL scan: " + e;
        }
        checks.add(CheckResult.of("no raw exceptions", List.copyOf(unexpected), 0,
                "operations fail only with LatchkeyException"));
        history.write(settings.outputDir().resolve(ChaosRunner.fileName(s.name) + "-" + settings.seed() + ".jsonl"));
        int faults = counts.values().stream().mapToInt(Integer::intValue).sum();
        ChaosReport report = new ChaosReport(s.name, settings.seed(), seconds, ops, new LinkedHashMap<>(counts), faults,
                checks, finalError, s.minOk(seconds), s.minFaults(seconds), List.copyOf(schedule),
                Duration.ofNanos(System.nanoTime() - started),
                String.format("setup %.1fs, chaos+heal %.1fs, final %.1fs, check+write %.1fs",
                        (setUpDone - started) / 1e9, (chaosDone - setUpDone) / 1e9,
                        (finalDone - chaosDone) / 1e9, (System.nanoTime() - finalDone) / 1e9));
        ChaosSummary.add(report);
        System.out.println(report.details());
        return report;
    }

    private static void runWorkers(Scenario s, ChaosRun run, long seed, int seconds, Map<String, Integer> counts,
                                   List<String> schedule, ConcurrentLinkedQueue<String> unexpected)
            throws InterruptedException {
        run.running(true);
        CountDownLatch done = new CountDownLatch(s.clients());
        List<Thread> threads = new ArrayList<>();
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
        Random random = new Random(seed);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        try {
            while (System.nanoTime() < end) {
                // the healthy gap is the point of waiting; the workers run meanwhile
                if (done.await(s.healthyGap(random).toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException("every worker stopped before the chaos ended: " + unexpected);
                }
                if (System.nanoTime() >= end) {
                    break;
                }
                long at = run.history.now();
                String category;
                try {
                    category = s.fault(run, random);
                } catch (Exception e) {
                    category = "fault-error";
                    if (unexpected.size() < 20) {
                        unexpected.add("nemesis: " + e);
                    }
                }
                if (category == null) {
                    continue;
                }
                counts.merge(category, 1, Integer::sum);
                schedule.add(String.format("%.1fs %s (%.1fs)", at / 1e9, category, (run.history.now() - at) / 1e9));
            }
        } finally {
            run.running(false);
            if (!done.await(60, TimeUnit.SECONDS)) {
                threads.forEach(Thread::interrupt);
                done.await(10, TimeUnit.SECONDS);
            }
        }
    }
}
