package io.latchkey.chaos;

import io.latchkey.core.Latchkey;
import io.latchkey.core.spi.Internals;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * DESIGN §3.4, "TTL on every key": once a scenario healed and ran its final phase, every key of the namespace, on
 * every node, must expire some day. A key whose PTTL is -1 stays forever: a violation, named in the report.
 * A node restarted without persistence simply has fewer keys. A {@link Sampler} also scans every node once a second
 * during the chaos, so keys that live only mid-run (a held lock, a waiter queue, live permits) are judged too.
 * SCAN and PTTL are plain commands through a node's unproxied admin client; on Redis Cluster each master would be
 * scanned the same way.
 */
final class TtlChecker {

    static final String NAME = "every key has a TTL";

    /** SCAN page size; PTTLs of one page are pipelined. */
    private static final int PAGE = 1000;

    /**
     * A key pattern known to be left without expiry by a bug not fixed yet: counted and named in the note, not as a
     * violation. Each entry names its bug; remove it with the fix.
     */
    record KnownException(Pattern key, String bug) {
    }

    /** None: every key the modules create carries a TTL (fencing counters 30 days, a semaphore's meta its data's). */
    static final List<KnownException> KNOWN = List.of();

    private TtlChecker() {
    }

    /**
     * Every key of {@code admin}'s namespace on its node, with its PTTL in ms (-1: no expiry; a key that expired
     * between SCAN and PTTL, -2, is left out). Throws a LatchkeyException if the node does not answer.
     */
    static Map<String, Long> scan(Latchkey admin) {
        String match = admin.namespace() + ":*";
        Map<String, Long> ttls = new LinkedHashMap<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            ScanCursor from = cursor;
            KeyScanCursor<String> page = Internals.of(admin).redis().callSync(
                    c -> c.scan(from, ScanArgs.Builder.matches(match).limit(PAGE)));
            List<String> keys = page.getKeys();
            List<CompletableFuture<Long>> pttls = new ArrayList<>(keys.size());
            for (String k : keys) {
                pttls.add(Internals.of(admin).redis().call(c -> c.pttl(k)));
            }
            for (int i = 0; i < keys.size(); i++) {
                long pttl = Internals.of(admin).redis().await(pttls.get(i));
                if (pttl != -2) {
                    ttls.put(keys.get(i), pttl); // SCAN may return a key twice; the map keeps it once
                }
            }
            cursor = page;
        } while (!cursor.isFinished());
        return ttls;
    }

    /**
     * Scans every node once a second while the chaos runs, so keys that exist only mid-run (a held lock, a waiter
     * queue, live permits) are judged too. A scan of a paused, dead or slow node fails and is skipped.
     */
    static final class Sampler implements AutoCloseable {

        private final ChaosNodes nodes;
        private final ScheduledExecutorService timer;
        /** node label → key → -1 if it was ever seen without TTL, else the last PTTL seen. */
        private final Map<String, Map<String, Long>> seen = new ConcurrentHashMap<>();
        private final AtomicInteger scans = new AtomicInteger();
        private final AtomicInteger failed = new AtomicInteger();

        Sampler(ChaosNodes nodes, Duration every) {
            this.nodes = nodes;
            this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "chaos-ttl-sampler");
                t.setDaemon(true);
                return t;
            });
            timer.scheduleWithFixedDelay(this::sample, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        }

        private void sample() {
            nodes.admins().forEach((label, admin) -> {
                try {
                    Map<String, Long> keys = scan(admin);
                    Map<String, Long> node = seen.computeIfAbsent(label, l -> new ConcurrentHashMap<>());
                    keys.forEach((k, pttl) -> node.merge(k, pttl, (old, now) -> old == -1 ? old : now));
                    scans.incrementAndGet();
                } catch (RuntimeException e) {
                    failed.incrementAndGet(); // a faulted node: the next sample or the final scan sees its keys
                }
            });
        }

        /** Stops sampling (waits for a scan in flight) and returns what it saw. */
        Map<String, Map<String, Long>> stop() {
            close();
            return seen;
        }

        int scans() {
            return scans.get();
        }

        int failed() {
            return failed.get();
        }

        @Override
        public void close() {
            timer.shutdownNow();
            try {
                timer.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The check over the keys scanned after the final phase alone (node label → key → PTTL ms). */
    static CheckResult check(Map<String, Map<String, Long>> end, List<KnownException> known) {
        return check(end, Map.of(), "", known);
    }

    /**
     * The check over the keys scanned after the final phase ({@code end}) and during the chaos ({@code during},
     * -1 if ever seen without TTL); {@code sampling} describes the samples for the note.
     */
    static CheckResult check(Map<String, Map<String, Long>> end, Map<String, Map<String, Long>> during,
                             String sampling, List<KnownException> known) {
        List<String> violations = new ArrayList<>();
        Map<String, Integer> knownHits = new LinkedHashMap<>();
        Map<String, Integer> kinds = new TreeMap<>();
        Set<String> nodes = new LinkedHashSet<>(end.keySet());
        nodes.addAll(during.keySet());
        int checked = 0;
        StringBuilder perNode = new StringBuilder();
        for (String node : nodes) {
            Map<String, Long> atEnd = end.getOrDefault(node, Map.of());
            Map<String, Long> mid = during.getOrDefault(node, Map.of());
            Set<String> keys = new TreeSet<>(atEnd.keySet());
            keys.addAll(mid.keySet());
            checked += keys.size();
            perNode.append(perNode.length() == 0 ? "" : ", ").append(node).append(' ').append(keys.size());
            for (String key : keys) {
                kinds.merge(kind(key), 1, Integer::sum);
                String when = atEnd.getOrDefault(key, 0L) == -1 ? "after the final phase"
                        : mid.getOrDefault(key, 0L) == -1 ? "during the chaos" : null;
                if (when == null) {
                    continue;
                }
                KnownException k = known.stream().filter(e -> e.key().matcher(key).matches()).findFirst()
                        .orElse(null);
                if (k != null) {
                    knownHits.merge(k.bug(), 1, Integer::sum);
                } else {
                    violations.add(node + ": " + key + " has no TTL (PTTL -1) " + when);
                }
            }
        }
        StringBuilder note = new StringBuilder().append(checked)
                .append(checked == 1 ? " key checked" : " keys checked");
        if (perNode.length() > 0) {
            note.append(" (").append(perNode).append(')');
        }
        if (!kinds.isEmpty()) {
            note.append(", by suffix ").append(kinds.toString().replace("=", " "));
        }
        if (!sampling.isEmpty()) {
            note.append("; ").append(sampling);
        }
        knownHits.forEach((bug, n) -> note.append("; ").append(n).append(" without TTL by known bug: ").append(bug));
        return CheckResult.of(NAME, violations, 0, note.toString());
    }

    /** {@code chaos:{order:42}:fence} → {@code fence}: what kind of key, without the per-instance part. */
    static String kind(String key) {
        int tag = key.lastIndexOf("}:");
        return tag < 0 ? key : key.substring(tag + 2);
    }
}
