package io.latchkey.dedup;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.Latchkey;
import io.latchkey.core.spi.Internals;
import io.latchkey.testing.EmbeddedRedis;
import io.latchkey.testing.RedisTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Measures bytes per id of both strategies (and of a plain SADD set, the physical baseline) and prints them; the
 * figures in docs/dedup.md come from this test. Ids are 36-character UUIDs, a typical message id.
 */
@RedisTest
class MemoryFootprintTest {

    private static final int MANY = 20_000;
    private static final int FEW = 100;

    private static long usedMemory(EmbeddedRedis redis) {
        String info = (String) redis.command("INFO", "memory");
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("used_memory:")) {
                return Long.parseLong(line.substring("used_memory:".length()).trim());
            }
        }
        throw new IllegalStateException("no used_memory in INFO");
    }

    private static List<String> ids(int n) {
        List<String> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add(UUID.randomUUID().toString());
        }
        return ids;
    }

    private static long memoryUsage(Latchkey latchkey, List<String> keys) {
        long total = 0;
        for (int i = 0; i < keys.size(); i += 1000) { // pipelined, in chunks below the client's queue bound
            List<CompletableFuture<Long>> sizes = new ArrayList<>();
            for (String k : keys.subList(i, Math.min(keys.size(), i + 1000))) {
                sizes.add(Internals.of(latchkey).redis().call(c -> c.memoryUsage(k)));
            }
            total += sizes.stream().mapToLong(f -> {
                Long v = f.join();
                return v == null ? 0 : v;
            }).sum();
        }
        return total;
    }

    private record Figure(String what, int ids, double infoPerId, double usagePerId, String encoding) {
        @Override
        public String toString() {
            return String.format("%-26s %6d ids: %7.1f B/id (INFO used_memory delta), %7.1f B/id (MEMORY USAGE)%s",
                    what, ids, infoPerId, usagePerId, encoding == null ? "" : ", encoding " + encoding);
        }
    }

    private Figure measure(String what, Latchkey latchkey, EmbeddedRedis redis, int n, DedupStrategy strategy) {
        redis.flushAll();
        List<String> ids = ids(n);
        Deduplicator d = strategy == null ? null : Deduplicators.of(latchkey).deduplicator("mem-" + n,
                Duration.ofHours(24), DeduplicatorOptions.builder().strategy(strategy).build());
        if (d != null) {
            d.firstSeen("warm-up"); // creates the bucket (WINDOWED) and loads the script before measuring
        }
        String set = Internals.of(latchkey).keys().key("mem-set", "s");
        if (d == null) {
            Internals.of(latchkey).redis().callSync(c -> c.sadd(set, "warm-up"));
        }
        long before = usedMemory(redis);
        for (int i = 0; i < n; i += 1000) {
            List<String> batch = ids.subList(i, Math.min(n, i + 1000));
            if (d != null) {
                assertTrue(d.firstSeen(batch).stream().allMatch(b -> b));
            } else {
                Internals.of(latchkey).redis().callSync(c -> c.sadd(set, batch.toArray(String[]::new)));
            }
        }
        long after = usedMemory(redis);
        List<String> keys;
        String encoding = null;
        if (d instanceof WindowedDeduplicator w) {
            keys = w.ringKeys();
            encoding = (String) redis.command("OBJECT", "ENCODING", w.ringKeys().stream()
                    .filter(k -> (Long) redis.command("EXISTS", k) == 1).findFirst().orElseThrow());
        } else if (d instanceof ExactDeduplicator x) {
            keys = ids.stream().map(x::key).toList();
        } else {
            keys = List.of(set);
            encoding = (String) redis.command("OBJECT", "ENCODING", set);
        }
        long usage = memoryUsage(latchkey, keys); // includes the warm-up id: 1 in n
        return new Figure(what, n, (after - before) / (double) n, usage / (double) n, encoding);
    }

    @Test
    void bytesPerIdOfEachStrategy(Latchkey latchkey, EmbeddedRedis redis) {
        List<Figure> figures = new ArrayList<>();
        for (int n : new int[] {FEW, MANY}) {
            figures.add(measure("SADD set (baseline)", latchkey, redis, n, null));
            figures.add(measure("WINDOWED", latchkey, redis, n, DedupStrategy.WINDOWED));
            figures.add(measure("EXACT", latchkey, redis, n, DedupStrategy.EXACT));
        }
        System.out.println("Redis " + redis.version() + " (" + EmbeddedRedis.serverBinary() + "), bytes per id:");
        figures.forEach(f -> System.out.println("  " + f));
        Figure windowed = figures.get(4);
        Figure exact = figures.get(5);
        assertTrue(windowed.infoPerId() > 0 && exact.infoPerId() > 0, figures.toString());
        assertTrue(windowed.infoPerId() < exact.infoPerId(), "WINDOWED stores an id in less memory: " + figures);
    }
}
