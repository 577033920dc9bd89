package io.latchkey.chaos;

import static org.awaitility.Awaitility.await;

import io.latchkey.ratelimit.RateLimit;
import io.latchkey.ratelimit.RateLimitDecision;
import io.latchkey.ratelimit.RateLimiter;
import io.latchkey.ratelimit.RateLimiterOptions;
import io.latchkey.ratelimit.RateLimiters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;

/**
 * Three limiters with exact bounds (sliding log, fixed window, token bucket) on node 0 (AOF), hammered by three
 * clients on one key each, under the full fault mix. An oracle per algorithm checks the admitted requests; a
 * fail-closed fallback decision (the script may have run) is an unknown outcome. The sliding window counter is an
 * approximation by design and is not checked here.
 */
final class RateLimitScenario extends Scenario {

    static final long LIMIT = 20;
    static final Duration WINDOW = Duration.ofSeconds(1);
    static final long CAPACITY = 10;
    static final long REFILL = 10;
    private static final String[] ALGORITHMS = {"sliding-log", "fixed-window", "token-bucket"};

    private RateLimiter[][] limiters; // [client][algorithm]

    RateLimitScenario() {
        super("ratelimit/mixed");
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
        return List.of(Nemesis.Kind.NODE_PAUSE, Nemesis.Kind.KILL_RESTART, Nemesis.Kind.KILL_DELAYED_RESTART,
                Nemesis.Kind.PARTITION_MINORITY, Nemesis.Kind.LATENCY, Nemesis.Kind.RESET, Nemesis.Kind.CLOSE,
                Nemesis.Kind.DROP_REPLY);
    }

    @Override
    Duration maxLease() {
        return WINDOW; // the longest window: the final phase waits past it
    }

    @Override
    void setUp(ChaosRun run) {
        RateLimiterOptions options = RateLimiterOptions.builder().timeout(commandTimeout()).build();
        limiters = new RateLimiter[clients()][ALGORITHMS.length];
        for (int c = 0; c < clients(); c++) {
            RateLimiters rl = RateLimiters.of(run.nodes.client(c, 0));
            limiters[c][0] = rl.limiter("chaos-log", options, RateLimit.slidingLog(LIMIT, WINDOW));
            limiters[c][1] = rl.limiter("chaos-fixed", options, RateLimit.fixedWindow(LIMIT, WINDOW));
            limiters[c][2] = rl.limiter("chaos-bucket", options, RateLimit.tokenBucket(CAPACITY, REFILL, WINDOW));
        }
    }

    @Override
    void step(ChaosRun run, int client, Random random) {
        int a = random.nextInt(ALGORITHMS.length);
        request(run, client, a, "k");
        // ~200 requests/s per client (10x the limits) is pressure enough; flat out only burns the shared CPU
        LockSupport.parkNanos(Duration.ofMillis(2 + random.nextInt(5)).toNanos());
    }

    private boolean request(ChaosRun run, int client, int algorithm, String key) {
        History h = run.history;
        long inv = h.now();
        RateLimitDecision d = limiters[client][algorithm].tryAcquire(key);
        long cmp = h.now();
        Op op = new Op(client, ALGORITHMS[algorithm], key, inv, cmp, d.isFallback() ? Outcome.UNKNOWN : Outcome.OK,
                d.allowed() && !d.isFallback() ? 1L : 0L, null, null, d.outcome().name());
        h.add(op);
        return d.outcome() == RateLimitDecision.Outcome.ALLOWED;
    }

    @Override
    void finalPhase(ChaosRun run) {
        // once the longest window has passed, every limiter admits the hammered key again, on every client
        // (these admissions count in the oracles like any other)
        Duration firstDelay = WINDOW.plusMillis(200);
        for (int c = 0; c < clients(); c++) {
            for (int a = 0; a < ALGORITHMS.length; a++) {
                int client = c;
                int algorithm = a;
                await(ALGORITHMS[a] + " admits client " + c + " after healing").pollDelay(firstDelay)
                        .atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                        .until(() -> request(run, client, algorithm, "k"));
                firstDelay = Duration.ZERO;
            }
        }
    }

    @Override
    List<CheckResult> check(ChaosRun run, List<Op> ops) {
        List<CheckResult> checks = new ArrayList<>();
        for (String alg : ALGORITHMS) {
            List<Op> admitted = ops.stream().filter(o -> o.f().equals(alg) && o.key().equals("k") && o.ok()
                    && o.value() == 1).toList();
            List<Op> unknown = ops.stream().filter(o -> o.f().equals(alg) && o.key().equals("k") && !o.ok())
                    .toList();
            checks.add(switch (alg) {
                case "sliding-log" -> RateChecker.slidingWindowBound("sliding log <= " + LIMIT + "/s", admitted,
                        unknown, LIMIT, WINDOW.toNanos());
                case "fixed-window" -> RateChecker.fixedWindowBound("fixed window <= " + LIMIT + "/aligned s",
                        admitted, unknown, LIMIT, WINDOW.toNanos() / 1000, run.history);
                default -> RateChecker.tokenBucketBound("token bucket <= " + CAPACITY + " + " + REFILL + "/s",
                        admitted, unknown, CAPACITY, REFILL, WINDOW.toNanos());
            });
        }
        return checks;
    }
}
