package io.latchkey.chaos;

import static org.awaitility.Awaitility.await;

import io.latchkey.core.Latchkey;
import io.latchkey.core.LatchkeyException;
import io.latchkey.dedup.Deduplicator;
import io.latchkey.dedup.Deduplicators;
import io.latchkey.lock.Locks;
import io.latchkey.ratelimit.RateLimit;
import io.latchkey.ratelimit.RateLimitDecision;
import io.latchkey.ratelimit.RateLimiter;
import io.latchkey.ratelimit.RateLimiters;
import io.latchkey.testing.EmbeddedRedis;
import io.latchkey.testing.EmbeddedRedisCluster;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;

/**
 * A lock (with its fenced counter), a fixed-window limiter and a deduplicator on a 3-master Redis Cluster, three
 * cluster clients. The fault is a live resharding step: the slot holding the lock's keys, the limiter's key or a
 * recent dedup id is moved to another master the way {@code redis-cli --cluster reshard} does it (SETSLOT IMPORTING
 * / MIGRATING, MIGRATE key by key with pauses so clients meet ASK redirects and TRYAGAIN, SETSLOT NODE on every
 * master). Every check must pass, and every key must be reachable afterwards.
 */
final class ClusterReshardScenario extends TopologyChaos.Scenario {

    static final Duration LEASE = Duration.ofMillis(1000);
    static final long LIMIT = 20;
    static final Duration WINDOW = Duration.ofSeconds(1);
    private static final String[] MOVED = {"chaos-reshard-lock", "chaos-reshard-fixed", "chaos-reshard-dedup"};

    private final EmbeddedRedisCluster cluster;
    private final ClientResources resources;
    private final List<Latchkey> opened = new ArrayList<>();
    private LockWorkload locks;
    private RateLimiter[] limiters;
    private Deduplicator[] deduplicators;
    private Deduplicator checkDedup;

    ClusterReshardScenario(EmbeddedRedisCluster cluster, ClientResources resources) {
        super("cluster-3/reshard");
        this.cluster = cluster;
        this.resources = resources;
    }

    private Latchkey client() {
        Latchkey l = Latchkey.builder().uri(cluster.uris().get(0)).cluster(true).commandTimeout(Duration.ofMillis(500))
                .clientResources(resources).build();
        opened.add(l);
        return l;
    }

    @Override
    void setUp(ChaosRun run) {
        List<Latchkey> clients = new ArrayList<>();
        for (int c = 0; c < clients(); c++) {
            clients.add(client());
        }
        Latchkey admin = client();
        limiters = new RateLimiter[clients()];
        deduplicators = new Deduplicator[clients()];
        for (int c = 0; c < clients(); c++) {
            limiters[c] = RateLimiters.of(clients.get(c)).limiter(MOVED[1], RateLimit.fixedWindow(LIMIT, WINDOW));
            deduplicators[c] = Deduplicators.of(clients.get(c)).deduplicator(MOVED[2], Duration.ofHours(1));
        }
        checkDedup = Deduplicators.of(admin).deduplicator(MOVED[2], Duration.ofHours(1));
        locks = new LockWorkload(clients(), c -> Locks.of(clients.get(c)).lock(MOVED[0]),
                Locks.of(admin).fencedResource(MOVED[0] + "-resource"), Locks.of(admin).lock(MOVED[0]), LEASE,
                Duration.ofMillis(400));
    }

    @Override
    Duration healthyGap(Random random) {
        return Duration.ofMillis(300 + random.nextInt(500));
    }

    @Override
    void step(ChaosRun run, int client, Random random) throws Exception {
        switch (random.nextInt(3)) {
            case 0 -> locks.step(run, client, random);
            case 1 -> limit(run, client);
            default -> claim(run, client, "id-" + run.sequence.incrementAndGet(), null);
        }
        LockSupport.parkNanos(Duration.ofMillis(1 + random.nextInt(3)).toNanos());
    }

    private boolean limit(ChaosRun run, int client) {
        History h = run.history;
        long inv = h.now();
        RateLimitDecision d = limiters[client].tryAcquire("k");
        h.add(new Op(client, "fixed-window", "k", inv, h.now(), d.isFallback() ? Outcome.UNKNOWN : Outcome.OK,
                d.allowed() && !d.isFallback() ? 1L : 0L, null, null, d.outcome().name()));
        return d.outcome() == RateLimitDecision.Outcome.ALLOWED;
    }

    private boolean claim(ChaosRun run, int client, String id, String info) {
        History h = run.history;
        long inv = h.now();
        try {
            boolean first = deduplicators[client].firstSeen(id);
            h.add(Op.ok(client, "claim", id, inv, h.now()).withValue(first ? 1L : 0L).withInfo(info));
            return true;
        } catch (LatchkeyException e) {
            h.add(new Op(client, "claim", id, inv, h.now(), Outcome.of(e), null, null, null, e.getClass().getSimpleName()));
            return false;
        }
    }

    /** Moves the slot of one of the primitives' live keys to another master, under load. */
    @Override
    String fault(ChaosRun run, Random random) throws Exception {
        String name = MOVED[random.nextInt(MOVED.length)];
        List<EmbeddedRedis> masters = cluster.nodes();
        for (EmbeddedRedis source : masters) {
            Object found = source.command("SCAN", "0", "MATCH", "*" + name + "*", "COUNT", "1000");
            List<?> keys = (List<?>) ((List<?>) found).get(1);
            if (keys.isEmpty()) {
                continue;
            }
            String key = (String) keys.get(random.nextInt(keys.size()));
            long slot = (Long) source.command("CLUSTER", "KEYSLOT", key);
            EmbeddedRedis target = masters.get((masters.indexOf(source) + 1 + random.nextInt(masters.size() - 1))
                    % masters.size());
            migrate(source, target, Long.toString(slot));
            return "reshard-" + name.substring("chaos-reshard-".length());
        }
        return null; // nothing written yet
    }

    private static void migrate(EmbeddedRedis source, EmbeddedRedis target, String slot) throws InterruptedException {
        String sourceId = (String) source.command("CLUSTER", "MYID");
        String targetId = (String) target.command("CLUSTER", "MYID");
        target.command("CLUSTER", "SETSLOT", slot, "IMPORTING", sourceId);
        source.command("CLUSTER", "SETSLOT", slot, "MIGRATING", targetId);
        while (true) {
            List<?> keys = (List<?>) source.command("CLUSTER", "GETKEYSINSLOT", slot, "1");
            if (keys.isEmpty()) {
                break;
            }
            source.command("MIGRATE", target.host(), Integer.toString(target.port()), "", "0", "5000", "KEYS",
                    (String) keys.get(0));
            Thread.sleep(30); // key by key, slowly: clients meet a slot split between two masters (ASK, TRYAGAIN)
        }
        target.command("CLUSTER", "SETSLOT", slot, "NODE", targetId);
        source.command("CLUSTER", "SETSLOT", slot, "NODE", targetId);
        for (EmbeddedRedis other : List.of(source, target)) {
            other.command("PING");
        }
    }

    @Override
    void finalPhase(ChaosRun run) {
        locks.finalPhase(run, LEASE);
        for (int c = 0; c < clients(); c++) {
            int client = c;
            await("limiter admits client " + c + " after resharding").pollDelay(WINDOW.plusMillis(200))
                    .atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> limit(run, client));
        }
        // every id accepted during the chaos is still known on whichever master owns its slot now
        List<String> unreachable = new ArrayList<>();
        for (Op o : run.history.ops()) {
            if (o.f().equals("claim") && o.ok() && o.value() != null && o.value() == 1) {
                if (!readBack(o.key())) {
                    unreachable.add(o.key());
                }
            }
        }
        run.state.put("unreachable", unreachable);
    }

    /** Whether the id is known; a failed read (a redirect still settling) is retried a few times. */
    private boolean readBack(String id) {
        for (int attempt = 0; ; attempt++) {
            try {
                return checkDedup.seen(id);
            } catch (LatchkeyException e) {
                if (attempt == 5) {
                    return false;
                }
                LockSupport.parkNanos(Duration.ofMillis(100).toNanos()); // back off before asking again
            }
        }
    }

    @Override
    List<CheckResult> check(ChaosRun run, List<Op> ops) {
        List<CheckResult> checks = new ArrayList<>(locks.check(run, ops, LockWorkload.Mode.SAFE));
        List<Op> admitted = ops.stream().filter(o -> o.f().equals("fixed-window") && o.ok() && o.value() == 1).toList();
        List<Op> unknown = ops.stream().filter(o -> o.f().equals("fixed-window") && !o.ok()).toList();
        checks.add(RateChecker.fixedWindowBound("fixed window <= " + LIMIT + "/aligned s", admitted, unknown, LIMIT,
                WINDOW.toNanos() / 1000, run.history));
        checks.add(DedupChecker.atMostOnce(ops));
        List<String> unreachable = run.get("unreachable");
        long accepted = ops.stream().filter(o -> o.f().equals("claim") && o.ok() && o.value() == 1).count();
        checks.add(CheckResult.of("accepted ids reachable after resharding",
                unreachable == null ? List.of("final phase did not run") : unreachable, 0,
                accepted + " accepted ids read back through the cluster client"));
        return checks;
    }

    @Override
    int minFaults(int seconds) {
        return 3;
    }

    @Override
    Map<String, Map<String, Long>> scanTtls() {
        Map<String, Map<String, Long>> byNode = new LinkedHashMap<>();
        for (EmbeddedRedis master : cluster.nodes()) {
            try (Latchkey node = Latchkey.connect(master.uri())) { // standalone: SCAN sees this master's keys
                byNode.put("master-" + master.port(), TtlChecker.scan(node));
            }
        }
        return byNode;
    }

    void close() {
        opened.forEach(Latchkey::close);
    }
}
