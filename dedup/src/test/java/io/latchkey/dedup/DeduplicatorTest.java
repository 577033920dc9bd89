package io.latchkey.dedup;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.Latchkey;
import io.latchkey.testing.EmbeddedRedis;
import io.latchkey.testing.RedisTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@RedisTest
class DeduplicatorTest {

    private static Deduplicator dedup(Latchkey latchkey, String name, Duration ttl, DedupStrategy strategy) {
        return Deduplicators.of(latchkey).deduplicator(name, ttl,
                DeduplicatorOptions.builder().strategy(strategy).build());
    }

    @ParameterizedTest
    @EnumSource(DedupStrategy.class)
    void anIdIsFirstSeenOnceThenSeenUntilForgotten(DedupStrategy strategy, Latchkey latchkey) {
        Deduplicator d = dedup(latchkey, "basic", Duration.ofMinutes(5), strategy);
        assertFalse(d.seen("m-1"));
        assertTrue(d.firstSeen("m-1"));
        assertFalse(d.firstSeen("m-1"));
        assertTrue(d.seen("m-1"));
        assertFalse(d.seen("m-2"), "seen() does not mark");
        assertTrue(d.firstSeen("m-2"));
        assertTrue(d.forget("m-1"));
        assertFalse(d.forget("m-1"), "nothing left to remove");
        assertFalse(d.seen("m-1"));
        assertTrue(d.firstSeen("m-1"), "new again after forget");
        assertEquals(strategy, d.strategy());
    }

    @ParameterizedTest
    @EnumSource(DedupStrategy.class)
    void aBatchAnswersInOrderAndCountsRepeatsInsideItOnce(DedupStrategy strategy, Latchkey latchkey) {
        Deduplicator d = dedup(latchkey, "batch", Duration.ofMinutes(5), strategy);
        assertTrue(d.firstSeen("b"));
        List<Boolean> r = d.firstSeen(List.of("a", "b", "c", "a", "weird {key}:%", "c"));
        assertEquals(List.of(true, false, true, false, true, false), r);
        assertEquals(List.of(), d.firstSeen(List.of()));
        assertEquals(List.of(false, false, true), d.firstSeenAsync(List.of("a", "weird {key}:%", "d")).join());
        assertFalse(d.firstSeenAsync("d").join());
        assertTrue(d.firstSeenAsync("e").join());
    }

    /** The windowed script reads a bucket in chunks of 500 ids: answers across chunk boundaries stay in order. */
    @ParameterizedTest
    @EnumSource(DedupStrategy.class)
    void aBatchLargerThanOneChunkAnswersEveryIdInOrder(DedupStrategy strategy, Latchkey latchkey) {
        Deduplicator d = dedup(latchkey, "big-batch", Duration.ofMinutes(5), strategy);
        assertTrue(d.firstSeen("id-700"));
        List<String> ids = new ArrayList<>();
        List<Boolean> expected = new ArrayList<>();
        for (int i = 0; i < 999; i++) {
            ids.add("id-" + i);
            expected.add(i != 700);
        }
        ids.add("id-3"); // a repeat inside the batch, in the second chunk (1000 ids: the largest batch)
        expected.add(false);
        assertEquals(expected, d.firstSeen(ids));
        List<Boolean> again = d.firstSeen(ids);
        assertFalse(again.contains(true), "every id of the batch was claimed");
        assertTrue(d.seen("id-998"));
        assertTrue(d.firstSeen("id-999"));
    }

    @ParameterizedTest
    @EnumSource(DedupStrategy.class)
    void everyKeyCarriesATtl(DedupStrategy strategy, Latchkey latchkey, EmbeddedRedis redis) {
        Deduplicator d = dedup(latchkey, "ttl-keys", Duration.ofSeconds(60), strategy);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            ids.add("id-" + i);
        }
        d.firstSeen(ids);
        d.firstSeen("one-more");
        @SuppressWarnings("unchecked")
        List<String> keys = (List<String>) redis.command("KEYS", "*");
        assertFalse(keys.isEmpty());
        for (String key : keys) {
            long pttl = (Long) redis.command("PTTL", key);
            assertTrue(pttl > 0 && pttl <= d.maxEffectiveTtl().toMillis() + 1, key + " has PTTL " + pttl);
        }
        if (strategy == DedupStrategy.EXACT) {
            assertEquals(51, keys.size(), "one key per id");
        } else {
            assertTrue(keys.size() <= 2, "ids share the ring's buckets: " + keys);
        }
    }

    @ParameterizedTest
    @EnumSource(DedupStrategy.class)
    void anIdIsNewAgainAfterItsTtlAndNotBefore(DedupStrategy strategy, Latchkey latchkey) {
        Duration ttl = Duration.ofMillis(600);
        Deduplicator d = dedup(latchkey, "expiry", ttl, strategy);
        long before = System.nanoTime();
        assertTrue(d.firstSeen("x"));
        assertFalse(d.firstSeen("x"));
        await().atMost(d.maxEffectiveTtl().plusSeconds(3)).pollInterval(Duration.ofMillis(10))
                .until(() -> !d.seen("x"));
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before);
        assertTrue(elapsed >= ttl.toMillis(), "forgotten after " + elapsed + " ms, before its ttl " + ttl);
        assertTrue(d.firstSeen("x"), "new again after the ttl");
        assertFalse(d.firstSeen("x"));
    }

    @ParameterizedTest
    @EnumSource(DedupStrategy.class)
    void sixteenThreadsWithOverlappingStreamsAcceptEveryIdExactlyOnce(DedupStrategy strategy, Latchkey latchkey)
            throws Exception {
        Deduplicator d = dedup(latchkey, "stress", Duration.ofMinutes(5), strategy);
        int ids = 1500;
        int threads = 16;
        AtomicIntegerArray accepted = new AtomicIntegerArray(ids);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                int seed = t;
                done.add(pool.submit(() -> {
                    // each thread sees every other id of the space, in its own order, singly and in batches
                    List<Integer> mine = new ArrayList<>();
                    for (int i = seed % 2; i < ids; i += 2) {
                        mine.add(i);
                    }
                    for (int i = 0; i < ids; i += 7) {
                        mine.add(i);
                    }
                    Collections.shuffle(mine, new Random(seed));
                    go.await();
                    for (int i = 0; i < mine.size(); ) {
                        if (i % 3 == 0) {
                            int id = mine.get(i++);
                            if (d.firstSeen("id-" + id)) {
                                accepted.incrementAndGet(id);
                            }
                        } else {
                            List<Integer> batch = mine.subList(i, Math.min(i + 25, mine.size()));
                            List<String> keys = batch.stream().map(n -> "id-" + n).toList();
                            List<Boolean> r = d.firstSeen(keys);
                            for (int j = 0; j < r.size(); j++) {
                                if (r.get(j)) {
                                    accepted.incrementAndGet(batch.get(j));
                                }
                            }
                            i += batch.size();
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        for (int i = 0; i < ids; i++) {
            assertEquals(1, accepted.get(i), "id-" + i + " accepted " + accepted.get(i) + " times");
        }
    }

    @ParameterizedTest
    @EnumSource(DedupStrategy.class)
    void claimsAreCountedByResult(DedupStrategy strategy, EmbeddedRedis redis) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Latchkey latchkey = Latchkey.builder().uri(redis.uri()).meterRegistry(registry).build()) {
            Deduplicator d = dedup(latchkey, "metered", Duration.ofMinutes(1), strategy);
            d.firstSeen("a");
            d.firstSeen(List.of("a", "b", "c"));
            assertEquals(3.0, registry.get(DedupMetrics.CLAIMS).tag("name", "metered").tag("result", "new")
                    .counter().count());
            assertEquals(1.0, registry.get(DedupMetrics.CLAIMS).tag("name", "metered").tag("result", "duplicate")
                    .counter().count());
        }
    }

    @org.junit.jupiter.api.Test
    void windowedLayoutFollowsTheOptions(Latchkey latchkey) {
        WindowedDeduplicator d = (WindowedDeduplicator) Deduplicators.of(latchkey).deduplicator("layout",
                Duration.ofSeconds(10), DeduplicatorOptions.builder().buckets(5).build());
        assertEquals(Duration.ofSeconds(2), d.bucketWidth());
        assertEquals(6, d.ringKeys().size(), "5 buckets cover the ttl, plus the one being filled");
        assertEquals(Duration.ofSeconds(12), d.maxEffectiveTtl());
        assertTrue(d.ringKeys().stream().allMatch(k -> k.startsWith("latchkey:{layout}:w2000:")), d.ringKeys()::toString);
        WindowedDeduplicator w = (WindowedDeduplicator) Deduplicators.of(latchkey).deduplicator("layout",
                Duration.ofSeconds(10), DeduplicatorOptions.builder().bucketWidth(Duration.ofSeconds(3)).build());
        assertEquals(5, w.ringKeys().size(), "ceil(10 / 3) = 4 buckets plus one");
        assertEquals(Duration.ofSeconds(15), w.maxEffectiveTtl());
    }
}
