package io.latchkey.benchmarks;

import io.latchkey.testing.EmbeddedRedis;
import io.latchkey.testing.EmbeddedRedisNodes;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.openjdk.jmh.annotations.Mode;

/**
 * Runs the whole comparison in one go: starts one embedded Redis (and three independent nodes for Redlock), runs
 * every {@link Suite#cases() case} under JMH (sample-time mode: latency percentiles; {@link CpuProfiler}:
 * throughput and CPU per operation), then prints the results table and the ratio table against the issues' targets.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar [quick|full|instructions] [--only REGEX] [--verbose] [--commandstats] [--jfr]
 * </pre>
 *
 * {@code --jfr} records each forked case with JFR's {@code profile} settings into
 * {@code benchmarks/target/jfr/<case id>-<round>.jfr} (CPU samples, allocation samples, lock contention, thread parks).
 *
 * {@code --fork-arg ARG} (repeatable) adds a JVM argument to every fork, with {@code {case}} and {@code {round}}
 * replaced, e.g. a profiler agent:
 * {@code --fork-arg '-agentpath:/tmp/ap/libasyncProfiler.so=start,event=cpu,file=/tmp/{case}-{round}.collapsed,collapsed'}.
 *
 * {@code --commandstats} prints, after each case, the main server's {@code INFO commandstats} for that case (calls
 * and µs per call of every command, scripts' inner commands included): the per-command budget behind a ratio.
 */
public final class BenchmarkMain {

    private BenchmarkMain() {
    }

    private static boolean commandStats;
    private static boolean jfr;
    /** Extra JVM arguments of every fork ({@code --fork-arg}), with {@code {case}} and {@code {round}} filled in. */
    private static final List<String> extraForkArgs = new ArrayList<>();

    public static void main(String[] args) {
        Profile profile = Profile.FULL;
        Pattern only = null;
        boolean verbose = false;
        boolean instructions = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "instructions" -> instructions = true;
                case "quick" -> profile = Profile.QUICK;
                case "full" -> profile = Profile.FULL;
                case "--only" -> only = Pattern.compile(args[++i]);
                case "--verbose" -> verbose = true;
                case "--commandstats" -> commandStats = true;
                case "--jfr" -> jfr = true;
                case "--fork-arg" -> extraForkArgs.add(args[++i]);
                default -> {
                    System.err.println("usage: java -jar benchmarks.jar [quick|full|instructions] [--only REGEX] [--verbose] [--commandstats] [--jfr] [--fork-arg JVM_ARG]...");
                    System.exit(2);
                }
            }
        }
        if (instructions) {
            try {
                ServerInstructions.run(only, System.out);
                System.exit(0);
            } catch (Exception e) {
                e.printStackTrace();
                System.exit(1);
            }
        }
        List<Measurement> results = run(profile, only, verbose, System.out);
        System.exit(results.stream().allMatch(Measurement::ok) ? 0 : 1);
    }

    /** Runs the suite (cases whose id matches {@code only}, or all) and prints the tables to {@code out}. */
    static List<Measurement> run(Profile profile, Pattern only, boolean verbose, PrintStream out) {
        List<Case> cases = Suite.cases().stream()
                .filter(c -> only == null || only.matcher(c.id()).find())
                .toList();
        long started = System.nanoTime();
        try (EmbeddedRedis redis = EmbeddedRedis.start();
             EmbeddedRedisNodes redlock = EmbeddedRedisNodes.start(3)) {
            String uri = redis.uri();
            String redlockUris = String.join(",", redlock.uris());
            String previousRedis = System.setProperty(BenchEnv.REDIS, uri);
            String previousRedlock = System.setProperty(BenchEnv.REDLOCK, redlockUris);
            try {
                out.println(header(profile, redis.version(), cases.size()));
                // every round runs every case once, in suite order: A, B, ..., A, B, ... so that each comparison
                // gets one ratio per round, taken minutes rather than a whole run apart
                List<List<Measurement>> perCase = new ArrayList<>();
                cases.forEach(c -> perCase.add(new ArrayList<>()));
                List<Map<String, Measurement>> rounds = new ArrayList<>();
                for (int round = 1; round <= profile.rounds; round++) {
                    Map<String, Measurement> byId = new LinkedHashMap<>();
                    for (int n = 0; n < cases.size(); n++) {
                        Case c = cases.get(n);
                        redis.flushAll();
                        redlock.forEach(EmbeddedRedis::flushAll);
                        if (commandStats) {
                            ServerProbe.command(uri, "CONFIG", "RESETSTAT");
                        }
                        long caseStart = System.nanoTime();
                        Measurement m = runCase(c, profile, uri, redlockUris, verbose, round);
                        perCase.get(n).add(m);
                        byId.put(c.id(), m);
                        out.printf(Locale.ROOT, "[round %d/%d %d/%d] %-28s %5.1f s  %s%n", round, profile.rounds,
                                n + 1, cases.size(), c.id(), (System.nanoTime() - caseStart) / 1e9, m.ok()
                                ? Report.count(m.opsPerSecond()) + " ops/s, p99 " + Report.micros(m.p99Micros())
                                  + " us, " + Report.cpu(m.commandsPerOp()) + " cmds/op"
                                : "FAILED: " + m.error());
                        if (commandStats) {
                            out.print(commandStats(ServerProbe.command(uri, "INFO", "commandstats")));
                        }
                    }
                    rounds.add(byId);
                }
                List<Measurement> results = perCase.stream().map(Measurement::median).toList();
                String memory;
                try {
                    memory = Footprint.measure(redis);
                } catch (RuntimeException e) {
                    memory = "could not measure: " + describe(e) + "\n";
                }
                redis.flushAll();
                String virtualThreads = VirtualThreadRun.fromParent(uri, profile.virtualThreadMillis, out);
                String tables = "\n## Results (median of " + profile.rounds + " rounds)\n\n" + Report.results(perCase)
                        + "\n## Memory per key and per id (MEMORY USAGE)\n\n" + memory
                        + "\n## Latchkey against the baselines and alternatives\n\n"
                        + "Median of the per-round ratios over " + profile.rounds + " interleaved rounds, with their "
                        + "min-max. Verdict: met; floor = missed, but the measured physical limit (\"floor allows\") "
                        + "is itself below the target and the median is within 15 % of it; MISSED otherwise. "
                        + "CPU ratio: the other side's CPU per item (Redis + client) over Latchkey's, the load-robust "
                        + "estimate of a throughput ratio on a CPU-bound machine.\n\n"
                        + Report.ratios(Suite.targets().stream()
                                .filter(t -> rounds.get(0).containsKey(t.latchkey())
                                        && (t.other() == null || rounds.get(0).containsKey(t.other()))).toList(),
                                rounds)
                        + "\n## Virtual threads (" + VirtualThreadRun.THREADS + " virtual threads, one client)\n\n"
                        + virtualThreads;
                out.println(tables);
                out.printf(Locale.ROOT, "%d cases x %d rounds in %d s%n", cases.size(), profile.rounds,
                        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
                save(header(profile, redis.version(), cases.size()) + "\n" + tables);
                return results;
            } finally {
                restore(BenchEnv.REDIS, previousRedis);
                restore(BenchEnv.REDLOCK, previousRedlock);
            }
        }
    }

    /** {@code cmdstat_x:calls=..,usec=..,usec_per_call=..} lines as an indented list, most-called first. */
    private static String commandStats(String info) {
        List<String[]> rows = new ArrayList<>();
        for (String line : info.split("\r\n")) {
            if (!line.startsWith("cmdstat_") || line.startsWith("cmdstat_info:") || line.startsWith("cmdstat_config:")) {
                continue;
            }
            String name = line.substring("cmdstat_".length(), line.indexOf(':'));
            Map<String, String> f = new LinkedHashMap<>();
            for (String kv : line.substring(line.indexOf(':') + 1).split(",")) {
                int eq = kv.indexOf('=');
                f.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
            rows.add(new String[] {name, f.get("calls"), f.get("usec_per_call")});
        }
        rows.sort((a, b) -> Long.compare(Long.parseLong(b[1]), Long.parseLong(a[1])));
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            sb.append(String.format(Locale.ROOT, "      %-18s %,12d calls %9s us/call%n", r[0], Long.parseLong(r[1]), r[2]));
        }
        return sb.toString();
    }

    @SuppressWarnings("rawtypes") // JMH's result maps use the raw Result type
    private static Measurement runCase(Case c, Profile profile, String uri, String redlockUris, boolean verbose,
                                       int round) {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include("^" + Pattern.quote(c.benchmark().getName() + "." + c.method()) + "$")
                .mode(Mode.SampleTime)
                .timeUnit(TimeUnit.MICROSECONDS)
                .threads(c.threads())
                .forks(profile.forks)
                .warmupIterations(profile.warmupIterations)
                .warmupTime(TimeValue.milliseconds(profile.warmupMillis))
                .measurementIterations(profile.measurementIterations)
                .measurementTime(TimeValue.milliseconds(profile.measurementMillis))
                .addProfiler(CpuProfiler.class)
                .shouldFailOnError(true)
                .verbosity(verbose ? VerboseMode.NORMAL : VerboseMode.SILENT);
        c.params().forEach(options::param);
        List<String> forkArgs = new ArrayList<>(List.of("-D" + BenchEnv.REDIS + "=" + uri,
                "-D" + BenchEnv.REDLOCK + "=" + redlockUris));
        if (jfr && profile.forks > 0) {
            Path dir = Path.of(Files.isDirectory(Path.of("benchmarks", "target")) ? "benchmarks/target" : "target", "jfr");
            try {
                Files.createDirectories(dir);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            forkArgs.add("-XX:StartFlightRecording=settings=profile,filename="
                    + dir.resolve(c.id() + "-" + round + ".jfr").toAbsolutePath());
        }
        for (String a : extraForkArgs) {
            forkArgs.add(a.replace("{case}", c.id()).replace("{round}", Integer.toString(round)));
        }
        options.jvmArgsAppend(forkArgs.toArray(String[]::new)); // one call: a second would replace the first
        try {
            Collection<RunResult> runs = new Runner(options.build()).run();
            if (runs.isEmpty()) {
                return Measurement.failed(c, "no result");
            }
            RunResult run = runs.iterator().next();
            Result<?> primary = run.getPrimaryResult();
            Map<String, Result> secondary = run.getSecondaryResults();
            return new Measurement(c,
                    score(secondary, CpuProfiler.OPS),
                    primary.getStatistics().getPercentile(50),
                    primary.getStatistics().getPercentile(99),
                    score(secondary, CpuProfiler.SERVER_CPU),
                    score(secondary, CpuProfiler.CLIENT_CPU),
                    score(secondary, CpuProfiler.COMMANDS),
                    score(secondary, CpuProfiler.ALLOCATED),
                    null);
        } catch (RunnerException | RuntimeException e) {
            return Measurement.failed(c, describe(e));
        }
    }

    /** The benchmark's own exception: JMH wraps it in a cause chain and attaches it as suppressed. */
    private static String describe(Throwable e) {
        Throwable root = e;
        while (true) {
            if (root.getSuppressed().length > 0) {
                root = root.getSuppressed()[0];
            } else if (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            } else {
                break;
            }
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    @SuppressWarnings("rawtypes")
    private static double score(Map<String, Result> results, String label) {
        Result<?> r = results.get(label);
        return r == null ? Double.NaN : r.getScore();
    }

    private static String header(Profile profile, String redisVersion, int cases) {
        Runtime rt = Runtime.getRuntime();
        return String.format(Locale.ROOT,
                "# Latchkey benchmarks%n%nprofile %s (%s), %d cases; %d CPUs, %s %s, JDK %s, Redis %s (%s), "
                        + "one client JVM and the servers on the same machine%n",
                profile.name().toLowerCase(Locale.ROOT), describe(profile), cases, rt.availableProcessors(),
                System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"),
                redisVersion, EmbeddedRedis.serverBinary(), ManagementFactory.getRuntimeMXBean().getVmName());
    }

    private static String describe(Profile p) {
        return String.format(Locale.ROOT, "forks %d, warmup %d x %d ms, measurement %d x %d ms per case, %d rounds",
                p.forks, p.warmupIterations, p.warmupMillis, p.measurementIterations, p.measurementMillis, p.rounds);
    }

    private static void save(String text) {
        try {
            Path dir = Path.of("benchmarks", "target");
            if (!Files.isDirectory(dir)) {
                dir = Path.of("target");
            }
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("benchmark-results.md"), text);
        } catch (Exception e) {
            // the console copy is what matters
        }
    }

    private static void restore(String key, String previous) {
        if (previous == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, previous);
        }
    }
}
