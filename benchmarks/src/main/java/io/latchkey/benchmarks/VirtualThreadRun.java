package io.latchkey.benchmarks;

import io.latchkey.core.Latchkey;
import io.latchkey.lock.DistributedLock;
import io.latchkey.lock.LockLease;
import io.latchkey.lock.Locks;
import io.latchkey.ratelimit.RateLimit;
import io.latchkey.ratelimit.RateLimiter;
import io.latchkey.ratelimit.RateLimiterOptions;
import io.latchkey.ratelimit.RateLimiters;
import io.latchkey.semaphore.DistributedSemaphore;
import io.latchkey.semaphore.Permit;
import io.latchkey.semaphore.Semaphores;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * The lock, limiter and semaphore driven from {@link #THREADS} virtual threads sharing one client, with a JFR
 * recording of {@code jdk.VirtualThreadPinned} (threshold 0: every pin, however short) per case. The code compiles
 * for Java 17, so virtual threads are reached by reflection, and the parent (usually on 17) runs this class in a
 * child JVM of a JDK 21+ it finds: the one running, {@code $LATCHKEY_BENCH_JDK}, or the newest under
 * {@code /usr/lib/jvm}. Without one the section says why it was skipped.
 */
final class VirtualThreadRun {

    static final int THREADS = 1000;
    private static final String ROW = "VT\t";
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration MAX_WAIT = Duration.ofSeconds(30);
    private static final int SEMAPHORE_PERMITS = 100;

    private VirtualThreadRun() {
    }

    /** Runs the cases in a JDK 21+ child and returns the Markdown table (or the reason it was skipped). */
    static String fromParent(String uri, int millis, PrintStream out) {
        Path java = findJava21();
        if (java == null) {
            return "skipped: no JDK 21+ found (this JVM is " + Runtime.version().feature()
                    + "; set LATCHKEY_BENCH_JDK to a JDK 21+ home)\n";
        }
        List<String> command = List.of(java.toString(), "-Xss512k", "-cp", System.getProperty("java.class.path"),
                VirtualThreadRun.class.getName(), uri, Integer.toString(millis));
        out.println("virtual threads: " + java);
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"case", "JDK", "ops/s", "p50 us", "p99 us", "jdk.VirtualThreadPinned", "pinned at"});
        StringBuilder other = new StringBuilder();
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith(ROW)) {
                        rows.add(line.substring(ROW.length()).split("\t", -1));
                        out.println("virtual threads: " + line.substring(ROW.length()).replace('\t', ' '));
                    } else if (other.length() < 4000) {
                        other.append(line).append('\n');
                    }
                }
            }
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return "failed: the child JVM did not finish\n";
            }
            if (p.exitValue() != 0 || rows.size() == 1) {
                return "failed (exit " + p.exitValue() + "):\n\n```\n" + other + "```\n";
            }
        } catch (IOException e) {
            return "failed: " + e + "\n";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted\n";
        }
        return Report.table(rows, 2);
    }

    private static Path findJava21() {
        if (Runtime.version().feature() >= 21) {
            return ProcessHandle.current().info().command().map(Path::of).orElse(null);
        }
        String configured = System.getenv("LATCHKEY_BENCH_JDK");
        if (configured != null && Files.isExecutable(Path.of(configured, "bin", "java"))) {
            return Path.of(configured, "bin", "java");
        }
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return null;
        }
        try (Stream<Path> homes = Files.list(jvms)) {
            return homes.filter(h -> feature(h) >= 21 && Files.isExecutable(h.resolve("bin/java")))
                    .max((a, b) -> Integer.compare(feature(a), feature(b)))
                    .map(h -> h.resolve("bin/java")).orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    /** The feature release a JDK home's {@code release} file names, 0 when unknown. */
    private static int feature(Path home) {
        try {
            for (String line : Files.readAllLines(home.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    return Integer.parseInt(v.split("[.+-]")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not a JDK home
        }
        return 0;
    }

    /** The child: {@code uri millis}. Prints one {@code VT} row per case. */
    public static void main(String[] args) throws Exception {
        String uri = args[0];
        long millis = Long.parseLong(args[1]);
        String jdk = Integer.toString(Runtime.version().feature());
        // a generous command timeout: a loaded machine must show up as latency, not as failed operations
        try (Latchkey latchkey = Latchkey.builder().uri(uri).namespace("bench-vt")
                .commandTimeout(Duration.ofSeconds(30)).build()) {
            Locks locks = Locks.of(latchkey);
            DistributedLock shared = locks.lock("vt:shared");
            RateLimiterOptions generous = RateLimiterOptions.builder().timeout(Duration.ofSeconds(30)).build();
            RateLimiter tokenBucket = RateLimiters.of(latchkey).limiter("vt-tb", generous,
                    RateLimit.tokenBucket(BenchEnv.UNBOUNDED_RATE, BenchEnv.UNBOUNDED_RATE, Duration.ofSeconds(1)));
            RateLimiter slidingLog = RateLimiters.of(latchkey).limiter("vt-sl", generous,
                    RateLimit.slidingLog(BenchEnv.UNBOUNDED_RATE, Duration.ofSeconds(1)));
            DistributedSemaphore semaphore = Semaphores.of(latchkey).semaphore("vt-uploads", SEMAPHORE_PERMITS);

            Map<String, Operation> cases = new LinkedHashMap<>();
            cases.put("lock acquire (waiting) + release, one key", i -> {
                Optional<LockLease> lease = shared.tryAcquire(LEASE, MAX_WAIT);
                lease.ifPresent(LockLease::release);
            });
            cases.put("lock acquire + release, key per thread", i -> {
                locks.lock("vt:own:" + i).tryAcquire(LEASE).orElseThrow().release();
            });
            cases.put("rate limit tokenBucket, shared key", i -> tokenBucket.tryAcquire("shared"));
            cases.put("rate limit slidingLog, shared key", i -> slidingLog.tryAcquire("shared"));
            cases.put("semaphore(" + SEMAPHORE_PERMITS + ") tryAcquire (waiting) + release", i -> {
                Optional<Permit> p = semaphore.tryAcquire(LEASE, MAX_WAIT);
                p.ifPresent(Permit::release);
            });
            for (Map.Entry<String, Operation> c : cases.entrySet()) {
                // an unrecorded warm-up first: a virtual thread that initialises a class pins its carrier for that
                // moment, once per class, which says nothing about waiting
                run(c.getKey(), jdk, c.getValue(), Math.max(100, millis / 3), false);
                run(c.getKey(), jdk, c.getValue(), millis, true);
            }
        }
        System.exit(0);
    }

    /** One benchmark operation of virtual thread {@code index}. */
    interface Operation {
        void run(int index) throws Exception;
    }

    private static void run(String name, String jdk, Operation op, long millis, boolean report) throws Exception {
        Path jfr = Files.createTempFile("latchkey-vt", ".jfr");
        long[][] latencies = new long[THREADS][];
        int[] counts = new int[THREADS];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long elapsed;
        long total = 0;
        try (Recording recording = new Recording()) {
            recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
            recording.start();
            long start = System.nanoTime();
            long end = start + TimeUnit.MILLISECONDS.toNanos(millis);
            ExecutorService executor = (ExecutorService) Executors.class
                    .getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
            for (int t = 0; t < THREADS; t++) {
                int index = t;
                latencies[t] = new long[1024];
                executor.execute(() -> {
                    try {
                        while (System.nanoTime() < end) {
                            long before = System.nanoTime();
                            op.run(index);
                            long took = System.nanoTime() - before;
                            if (counts[index] == latencies[index].length) {
                                latencies[index] = Arrays.copyOf(latencies[index], counts[index] * 2);
                            }
                            latencies[index][counts[index]++] = took;
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                });
            }
            executor.shutdown();
            if (!executor.awaitTermination(millis + 60_000, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(name + ": virtual threads still running");
            }
            elapsed = System.nanoTime() - start;
            recording.stop();
            recording.dump(jfr);
        }
        if (failure.get() != null) {
            throw new IllegalStateException(name + " failed", failure.get());
        }
        long[] all = new long[Arrays.stream(counts).sum()];
        int at = 0;
        for (int t = 0; t < THREADS; t++) {
            System.arraycopy(latencies[t], 0, all, at, counts[t]);
            at += counts[t];
            total += counts[t];
        }
        Arrays.sort(all);
        int pinned = 0;
        String where = "-";
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            if (!e.getEventType().getName().equals("jdk.VirtualThreadPinned")) {
                continue;
            }
            pinned++;
            if (pinned == 1 && e.getStackTrace() != null) {
                where = firstOwnFrame(e.getStackTrace().getFrames());
            }
        }
        Files.deleteIfExists(jfr);
        if (!report) {
            return;
        }
        System.out.println(ROW + String.join("\t", name, jdk,
                Report.count(total * 1e9 / elapsed),
                Report.micros(percentile(all, 0.50) / 1e3), Report.micros(percentile(all, 0.99) / 1e3),
                Integer.toString(pinned), where));
    }

    private static double percentile(long[] sorted, double p) {
        return sorted.length == 0 ? Double.NaN : sorted[(int) Math.min(sorted.length - 1, (long) (p * sorted.length))];
    }

    /** The first frame outside the JDK, where the pinning section was entered. */
    private static String firstOwnFrame(List<RecordedFrame> frames) {
        for (RecordedFrame f : frames) {
            String type = f.getMethod().getType().getName();
            if (!type.startsWith("java.") && !type.startsWith("jdk.") && !type.startsWith("sun.")) {
                return String.format(Locale.ROOT, "%s.%s:%d", type, f.getMethod().getName(), f.getLineNumber());
            }
        }
        return frames.isEmpty() ? "-" : frames.get(0).getMethod().getType().getName();
    }
}
