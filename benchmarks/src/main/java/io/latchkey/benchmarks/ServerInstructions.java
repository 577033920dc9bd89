package io.latchkey.benchmarks;

import io.latchkey.core.Latchkey;
import io.latchkey.core.spi.Ids;
import io.latchkey.core.spi.LuaScript;
import io.latchkey.dedup.DedupStrategy;
import io.latchkey.dedup.Deduplicator;
import io.latchkey.dedup.DeduplicatorOptions;
import io.latchkey.dedup.Deduplicators;
import io.latchkey.lock.DistributedLock;
import io.latchkey.lock.Locks;
import io.latchkey.ratelimit.RateLimit;
import io.latchkey.ratelimit.RateLimiter;
import io.latchkey.ratelimit.RateLimiters;
import io.latchkey.semaphore.DistributedSemaphore;
import io.latchkey.semaphore.Permit;
import io.latchkey.semaphore.Semaphores;
import io.latchkey.testing.EmbeddedRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.redisson.Redisson;
import org.redisson.api.RLock;
import org.redisson.api.RRateLimiter;
import org.redisson.api.RSemaphore;
import org.redisson.api.RateType;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/**
 * Redis instructions per operation, counted by {@code valgrind --tool=callgrind} around a Redis server: the same
 * count for the same binary and commands however loaded the machine is, so script changes and the baselines'
 * physical limit compare exactly. One client thread sends {@link #OPS} operations per case after a warm-up;
 * {@code callgrind_control} zeroes the counters before and dumps them after. The count is the whole server's
 * (event loop, socket reads and writes, command dispatch, scripts), the cost that decides how many clients one
 * Redis serves.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar instructions [--only REGEX]
 * </pre>
 */
final class ServerInstructions {

    static final int OPS = 2_000;
    private static final int WARMUP = 300;
    private static final Duration LEASE = Duration.ofSeconds(30);

    private ServerInstructions() {
    }

    /** One operation of a case; {@code i} counts from 0. */
    interface Op {
        void run(long i) throws Exception;
    }

    static void run(java.util.regex.Pattern only, PrintStream out) throws Exception {
        Path dir = Files.createTempDirectory("latchkey-callgrind");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String binary = EmbeddedRedis.serverBinary();
        Process valgrind = new ProcessBuilder("valgrind", "--tool=callgrind", "--collect-atstart=yes",
                "--callgrind-out-file=" + dir.resolve("cg.out"), binary, "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--hz", "10")
                .redirectErrorStream(true).redirectOutput(dir.resolve("valgrind.log").toFile()).start();
        String uri = "redis://127.0.0.1:" + port;
        try {
            waitForServer(uri);
            out.printf(Locale.ROOT, "# Redis instructions per operation (callgrind)%n%nserver %s (%s), %d ops per "
                    + "case after %d warm-up ops, one client thread%n%n", ServerProbe.version(uri), binary, OPS, WARMUP);
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"case", "Redis instructions/op", "Redis cmds/op"});
            for (Map.Entry<String, Op> c : cases(uri).entrySet()) {
                if (only != null && !only.matcher(c.getKey()).find()) {
                    continue;
                }
                Op op = c.getValue();
                for (long i = 0; i < WARMUP; i++) {
                    op.run(-1 - i);
                }
                long calls = ServerProbe.commandCalls(List.of(uri));
                control(valgrind.pid(), "-z");
                for (long i = 0; i < OPS; i++) {
                    op.run(i);
                }
                control(valgrind.pid(), "-d");
                double commands = (ServerProbe.commandCalls(List.of(uri)) - calls) / (double) OPS;
                long ir = lastDumpInstructions(dir);
                rows.add(new String[] {c.getKey(), Report.count(ir / (double) OPS), Report.cpu(commands)});
                out.printf(Locale.ROOT, "%-60s %,10.0f instr/op %6.2f cmds/op%n", c.getKey(), ir / (double) OPS,
                        commands);
            }
            out.println();
            out.println(Report.table(rows, 1));
        } finally {
            closeAll();
            valgrind.destroy();
            valgrind.waitFor(20, TimeUnit.SECONDS);
            valgrind.destroyForcibly();
        }
    }

    private static final List<AutoCloseable> OPEN = new ArrayList<>();

    private static void closeAll() {
        for (AutoCloseable c : OPEN) {
            try {
                c.close();
            } catch (Exception e) {
                // best effort
            }
        }
        OPEN.clear();
    }

    private static Map<String, Op> cases(String uri) {
        RedisClient client = RedisClient.create(io.lettuce.core.RedisURI.builder(io.lettuce.core.RedisURI.create(uri))
                .withTimeout(Duration.ofSeconds(60)).build());
        StatefulRedisConnection<String, String> connection = client.connect();
        OPEN.add(() -> client.shutdown(Duration.ZERO, Duration.ofSeconds(2)));
        RedisCommands<String, String> raw = connection.sync();
        String cad = raw.scriptLoad(LuaScript.load(Clients.class, "compare-and-delete.lua").source());
        String fixedWindow = raw.scriptLoad(LuaScript.load(Clients.class, "fixed-window.lua").source());
        Latchkey latchkey = Latchkey.builder().uri(uri).namespace("bench").commandTimeout(Duration.ofSeconds(60))
                .build();
        OPEN.add(0, latchkey);
        Config config = new Config();
        config.setCodec(StringCodec.INSTANCE);
        config.setCheckLockSyncedSlaves(false);
        config.useSingleServer().setAddress(uri).setTimeout(60_000).setConnectionMinimumIdleSize(1)
                .setConnectionPoolSize(2).setSubscriptionConnectionMinimumIdleSize(1).setPingConnectionInterval(0);
        RedissonClient redisson = Redisson.create(config);
        OPEN.add(0, redisson::shutdown);

        Map<String, Op> cases = new LinkedHashMap<>();
        cases.put("lock: raw SET NX PX + EVALSHA compare-and-delete", i -> {
            String owner = Ids.newId();
            raw.set("raw:lock", owner, SetArgs.Builder.nx().px(LEASE.toMillis()));
            raw.evalsha(cad, ScriptOutputType.INTEGER, new String[] {"raw:lock"}, owner);
        });
        DistributedLock lock = Locks.of(latchkey).lock("lock:own");
        cases.put("lock: Latchkey tryAcquire + release", i -> lock.tryAcquire(LEASE).orElseThrow().release());
        RLock rlock = redisson.getLock("redisson:lock");
        cases.put("lock: Redisson tryLock + unlock", i -> {
            rlock.tryLock(0, LEASE.toMillis(), TimeUnit.MILLISECONDS);
            rlock.unlock();
        });
        cases.put("ratelimit: raw EVALSHA INCR + PEXPIRE", i -> raw.evalsha(fixedWindow, ScriptOutputType.INTEGER,
                new String[] {"raw:rl"}, Long.toString(BenchEnv.UNBOUNDED_RATE), "1000"));
        RateLimiters limiters = RateLimiters.of(latchkey);
        for (String algorithm : Suite.ALGORITHMS) {
            RateLimit limit = switch (algorithm) {
                case "fixedWindow" -> RateLimit.fixedWindow(BenchEnv.UNBOUNDED_RATE, Duration.ofSeconds(1));
                case "slidingLog" -> RateLimit.slidingLog(BenchEnv.UNBOUNDED_RATE, Duration.ofSeconds(1));
                case "slidingWindow" -> RateLimit.slidingWindow(BenchEnv.UNBOUNDED_RATE, Duration.ofSeconds(1));
                default -> RateLimit.tokenBucket(BenchEnv.UNBOUNDED_RATE, BenchEnv.UNBOUNDED_RATE,
                        Duration.ofSeconds(1));
            };
            RateLimiter limiter = limiters.limiter("api-" + algorithm, limit);
            cases.put("ratelimit: Latchkey " + algorithm, i -> limiter.tryAcquire("shared"));
        }
        RRateLimiter rrl = redisson.getRateLimiter("redisson:rl");
        rrl.trySetRate(RateType.OVERALL, BenchEnv.UNBOUNDED_RATE, Duration.ofSeconds(1));
        cases.put("ratelimit: Redisson RRateLimiter", i -> rrl.tryAcquire());
        cases.put("dedup: raw SADD", i -> raw.sadd("raw:seen", "id-" + i));
        Deduplicators dedup = Deduplicators.of(latchkey);
        Deduplicator windowed = dedup.deduplicator("events", Duration.ofHours(1),
                DeduplicatorOptions.builder().strategy(DedupStrategy.WINDOWED).build());
        Deduplicator exact = dedup.deduplicator("events-exact", Duration.ofHours(1),
                DeduplicatorOptions.builder().strategy(DedupStrategy.EXACT).build());
        cases.put("dedup: Latchkey firstSeen WINDOWED", i -> windowed.firstSeen("id-" + i));
        cases.put("dedup: Latchkey firstSeen EXACT", i -> exact.firstSeen("id-" + i));
        DistributedSemaphore semaphore = Semaphores.of(latchkey).semaphore("uploads", SemaphoreBenchmarks.PERMITS);
        cases.put("semaphore(1000): Latchkey tryAcquire + release", i -> {
            Optional<Permit> p = semaphore.tryAcquire(LEASE);
            p.orElseThrow().release();
        });
        RSemaphore rsem = redisson.getSemaphore("redisson:uploads");
        rsem.trySetPermits(SemaphoreBenchmarks.PERMITS);
        cases.put("semaphore(1000): Redisson RSemaphore tryAcquire + release", i -> {
            if (rsem.tryAcquire()) {
                rsem.release();
            }
        });
        return cases;
    }

    private static void waitForServer(String uri) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                ServerProbe.command(uri, "PING");
                return;
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("redis-server under valgrind did not start", e);
                }
                Thread.sleep(200); // polling a starting process: nothing to wait on
            }
        }
    }

    private static void control(long pid, String option) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("callgrind_control", option, Long.toString(pid))
                .redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException("callgrind_control " + option + " failed: " + text);
        }
    }

    /** The {@code summary:} / {@code totals:} instruction count of the newest dump file. */
    private static long lastDumpInstructions(Path dir) throws IOException {
        Path newest;
        try (Stream<Path> files = Files.list(dir)) {
            newest = files.filter(f -> f.getFileName().toString().startsWith("cg.out"))
                    .max((a, b) -> Long.compare(a.toFile().lastModified() * 1000 + a.toString().length(),
                            b.toFile().lastModified() * 1000 + b.toString().length())).orElseThrow();
        }
        for (String line : Files.readAllLines(newest)) {
            if (line.startsWith("summary:") || line.startsWith("totals:")) {
                return Long.parseLong(line.substring(line.indexOf(':') + 1).trim().split("\\s+")[0]);
            }
        }
        throw new IllegalStateException("no totals in " + newest);
    }
}
