package io.latchkey.chaos;

import io.latchkey.testing.EmbeddedRedis;
import io.latchkey.testing.FaultProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Injects faults on a schedule drawn from a seeded {@link Random}: healthy, fault, heal, again, until stopped. The
 * same seed gives the same sequence of kinds, targets and durations (wall-clock interleaving with the workers
 * naturally differs). Node faults only hit the scenario's target nodes; link faults are proxy modes.
 */
final class Nemesis {

    /** The faults the nemesis can draw; the category is what the summary counts. */
    enum Kind {
        /** SIGSTOP a node, SIGCONT it later: connections stay open, nothing answers. */
        NODE_PAUSE("pause"),
        /** SIGKILL a node with AOF ({@code appendfsync always}) and restart it at once: acknowledged writes survive. */
        KILL_RESTART("kill"),
        /**
         * SIGKILL a node and restart it later; a node WITHOUT persistence stays down longer than the max lease
         * (the documented Redlock requirement), one with AOF for a random while.
         */
        KILL_DELAYED_RESTART("kill"),
        /** Self-test only: SIGKILL a majority of nodes WITHOUT persistence and restart them at once (unsafe). */
        RESTART_MAJORITY_UNPERSISTED("kill"),
        /** Cut a minority of nodes off from every client (or, with one target node, one client off from it). */
        PARTITION_MINORITY("partition"),
        /** Two clients see different majorities (A: nodes 1-3, B: nodes 3-5), the rest see everything. */
        PARTITION_ASYMMETRIC("partition"),
        /** Every link to a node answers after about the command timeout (60-140 % of it). */
        LATENCY("latency"),
        /** Abort every connection to a node with RST for a moment. */
        RESET("reset"),
        /** Close every connection to a node with FIN for a moment. */
        CLOSE("close"),
        /** Let a command through, swallow its reply and hang up: the client re-sends it (a replay). */
        DROP_REPLY("replay"),
        /** A client stalls inside its critical section for longer than its lease. */
        CLIENT_PAUSE("client-pause");

        private final String category;

        Kind(String category) {
            this.category = category;
        }

        String category() {
            return category;
        }
    }

    private final ChaosNodes nodes;
    private final int[] targets;
    private final History history;
    private final Random random;
    private final List<Kind> kinds;
    private final Duration maxLease;
    private final ClientPauses pauses;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final List<String> schedule = Collections.synchronizedList(new ArrayList<>());
    private Thread thread;
    private volatile Throwable failure;

    Nemesis(ChaosNodes nodes, int[] targets, History history, long seed, List<Kind> kinds, Duration maxLease,
            ClientPauses pauses) {
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("no fault kinds");
        }
        this.nodes = nodes;
        this.targets = targets.clone();
        this.history = history;
        this.random = new Random(seed);
        this.kinds = List.copyOf(kinds);
        this.maxLease = maxLease;
        this.pauses = pauses;
    }

    void start() {
        thread = new Thread(this::loop, "chaos-nemesis");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops after healing the fault in progress; everything is healed when this returns. */
    void stopAndHeal() throws InterruptedException {
        stop.countDown();
        pauses.cancelAll();
        if (thread != null) {
            thread.join(TimeUnit.SECONDS.toMillis(30) + maxLease.toMillis() * 3);
        }
        nodes.healAll();
        if (failure != null) {
            throw new IllegalStateException("nemesis failed", failure);
        }
    }

    /** The drawn schedule, one entry per fault, for the report. */
    List<String> schedule() {
        return List.copyOf(schedule);
    }

    /** Injected faults per category. */
    Map<String, Integer> counts() {
        return history.faults().stream().collect(Collectors.groupingBy(FaultEvent::category, TreeMap::new,
                Collectors.summingInt(e -> 1)));
    }

    private void loop() {
        try {
            List<Kind> deck = new ArrayList<>();
            while (!waitStop(between(300, 1000))) {
                // deal from a shuffled deck: every kind comes up once per round, so a short run still covers all
                if (deck.isEmpty()) {
                    deck.addAll(kinds);
                    Collections.shuffle(deck, random);
                }
                Kind kind = deck.remove(deck.size() - 1);
                inject(kind);
                nodes.healAll();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            failure = t;
        }
    }

    /** Waits up to {@code ms}; true if stop was requested. The schedule's own timing, not a synchronisation. */
    private boolean waitStop(long ms) throws InterruptedException {
        return stop.await(ms, TimeUnit.MILLISECONDS);
    }

    private long between(long lo, long hi) {
        return lo + (long) (random.nextDouble() * (hi - lo));
    }

    private int target() {
        return targets[random.nextInt(targets.length)];
    }

    private void inject(Kind kind) throws InterruptedException {
        long start = history.now();
        String target;
        switch (kind) {
            case NODE_PAUSE -> {
                int n = target();
                long hold = between(300, (long) (maxLease.toMillis() * 1.5));
                target = "node" + n + " " + hold + "ms";
                EmbeddedRedis node = nodes.node(n);
                node.pause();
                try {
                    waitStop(hold);
                } finally {
                    node.resume();
                }
            }
            case KILL_RESTART -> {
                int n = aofTarget();
                if (n < 0) {
                    return;
                }
                target = "node" + n + " (aof) immediate";
                nodes.node(n).kill();
                nodes.node(n).restart();
            }
            case KILL_DELAYED_RESTART -> {
                int n = target();
                long down = nodes.aof(n) ? between(200, 1500) : maxLease.toMillis() + between(300, 800);
                target = "node" + n + (nodes.aof(n) ? " (aof) " : " (no persistence) ") + "down " + down + "ms";
                nodes.node(n).kill();
                // the downtime is part of the fault: a stop request does not shorten it (safety depends on it)
                nodes.node(n).restart(Duration.ofMillis(down));
            }
            case RESTART_MAJORITY_UNPERSISTED -> {
                List<Integer> shuffled = shuffledTargets();
                List<Integer> majority = shuffled.subList(0, targets.length / 2 + 1);
                target = "nodes" + majority + " (no persistence) immediate";
                for (int n : majority) {
                    nodes.node(n).kill();
                }
                for (int n : majority) {
                    nodes.node(n).restart();
                }
            }
            case PARTITION_MINORITY -> {
                FaultProxy.Mode mode = random.nextBoolean() ? FaultProxy.Mode.BLACKHOLE : FaultProxy.Mode.FREEZE;
                long hold = between(500, 2000);
                if (targets.length >= 3) {
                    List<Integer> cut = shuffledTargets().subList(0, (targets.length - 1) / 2);
                    target = "nodes" + cut + " from all clients " + mode + " " + hold + "ms";
                    for (int c = 0; c < nodes.clientCount(); c++) {
                        for (int n : cut) {
                            nodes.proxy(c, n).mode(mode);
                        }
                    }
                } else {
                    int c = random.nextInt(nodes.clientCount());
                    target = "client" + c + " from nodes" + java.util.Arrays.toString(targets) + " " + mode + " "
                            + hold + "ms";
                    for (int n : targets) {
                        nodes.proxy(c, n).mode(mode);
                    }
                }
                waitStop(hold);
            }
            case PARTITION_ASYMMETRIC -> {
                if (targets.length < 3 || nodes.clientCount() < 2) {
                    return;
                }
                List<Integer> order = shuffledTargets();
                int majority = targets.length / 2 + 1;
                List<Integer> seenByA = order.subList(0, majority);
                List<Integer> seenByB = order.subList(targets.length - majority, targets.length);
                List<Integer> clients = new ArrayList<>();
                for (int c = 0; c < nodes.clientCount(); c++) {
                    clients.add(c);
                }
                Collections.shuffle(clients, random);
                int a = clients.get(0);
                int b = clients.get(1);
                long hold = between(500, 2000);
                target = "client" + a + " sees " + seenByA + ", client" + b + " sees " + seenByB + " " + hold + "ms";
                for (int n : targets) {
                    if (!seenByA.contains(n)) {
                        nodes.proxy(a, n).mode(FaultProxy.Mode.BLACKHOLE);
                    }
                    if (!seenByB.contains(n)) {
                        nodes.proxy(b, n).mode(FaultProxy.Mode.BLACKHOLE);
                    }
                }
                waitStop(hold);
            }
            case LATENCY -> {
                int n = target();
                Duration delay = Duration.ofMillis((long) (nodes.commandTimeout().toMillis()
                        * (0.6 + 0.8 * random.nextDouble())));
                long hold = between(500, 1500);
                target = "node" + n + " delay " + delay.toMillis() + "ms " + hold + "ms";
                for (int c = 0; c < nodes.clientCount(); c++) {
                    nodes.proxy(c, n).delay(delay);
                }
                waitStop(hold);
            }
            case RESET, CLOSE -> {
                int n = target();
                long hold = between(50, 400);
                FaultProxy.Mode mode = kind == Kind.RESET ? FaultProxy.Mode.RESET : FaultProxy.Mode.CLOSE;
                target = "node" + n + " " + hold + "ms";
                for (int c = 0; c < nodes.clientCount(); c++) {
                    nodes.proxy(c, n).mode(mode);
                }
                waitStop(hold);
            }
            case DROP_REPLY -> {
                int drops = 1 + random.nextInt(4);
                List<String> hits = new ArrayList<>();
                for (int i = 0; i < drops; i++) {
                    int c = random.nextInt(nodes.clientCount());
                    int n = target();
                    FaultProxy p = nodes.proxy(c, n);
                    if (p.mode() == FaultProxy.Mode.PASS) {
                        p.mode(FaultProxy.Mode.DROP_NEXT_REPLY_THEN_CLOSE);
                        hits.add("c" + c + "/n" + n);
                    }
                    if (waitStop(between(100, 300))) {
                        break;
                    }
                }
                target = "drop-reply " + hits;
            }
            case CLIENT_PAUSE -> {
                int c = random.nextInt(nodes.clientCount());
                Duration length = ClientPauses.millis(maxLease.toMillis() * (1.3 + 0.7 * random.nextDouble()));
                target = "client" + c + " " + length.toMillis() + "ms";
                try {
                    long[] took = pauses.request(c, length)
                            .get(maxLease.toMillis() * 4 + 2000, TimeUnit.MILLISECONDS);
                    schedule.add(kind + " " + target);
                    history.fault(new FaultEvent(kind, target, took[0], took[1]));
                } catch (TimeoutException | ExecutionException | java.util.concurrent.CancellationException e) {
                    pauses.cancel(c); // never reached a critical section: not injected, not counted
                }
                return;
            }
            default -> throw new IllegalStateException("unknown kind " + kind);
        }
        nodes.healAll();
        schedule.add(kind + " " + target);
        history.fault(new FaultEvent(kind, target, start, history.now()));
    }

    private int aofTarget() {
        List<Integer> aof = new ArrayList<>();
        for (int n : targets) {
            if (nodes.aof(n)) {
                aof.add(n);
            }
        }
        return aof.isEmpty() ? -1 : aof.get(random.nextInt(aof.size()));
    }

    private List<Integer> shuffledTargets() {
        List<Integer> l = new ArrayList<>();
        for (int n : targets) {
            l.add(n);
        }
        Collections.shuffle(l, random);
        return l;
    }
}
