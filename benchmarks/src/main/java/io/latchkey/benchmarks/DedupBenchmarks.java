package io.latchkey.benchmarks;

import io.latchkey.dedup.DedupStrategy;
import io.latchkey.dedup.Deduplicator;
import io.latchkey.dedup.DeduplicatorOptions;
import io.latchkey.dedup.Deduplicators;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.redisson.api.RSet;

/**
 * One operation = one "have I seen this id?" check-and-mark of a fresh id (the common case of a message consumer),
 * or, for the batch benchmark, of {@link #BATCH} fresh ids in one call.
 */
public class DedupBenchmarks {

    static final Duration TTL = Duration.ofHours(1);
    static final int BATCH = 100;

    /** Latchkey deduplicators of both strategies. */
    @State(Scope.Benchmark)
    public static class LatchkeyDedup {
        Deduplicator windowed;
        Deduplicator exact;

        @Setup(Level.Trial)
        public void setup(Clients.LatchkeyClient client) {
            Deduplicators dedup = Deduplicators.of(client.latchkey);
            windowed = dedup.deduplicator("events", TTL,
                    DeduplicatorOptions.builder().strategy(DedupStrategy.WINDOWED).build());
            exact = dedup.deduplicator("events-exact", TTL,
                    DeduplicatorOptions.builder().strategy(DedupStrategy.EXACT).build());
        }
    }

    /** The physical limit: one SADD to one set. */
    @Benchmark
    public boolean rawSadd(Clients.RawLettuce raw, Clients.Worker worker) {
        return raw.redis.sadd("raw:seen", worker.nextId()) == 1L;
    }

    @Benchmark
    public boolean latchkeyWindowed(LatchkeyDedup dedup, Clients.Worker worker) {
        return dedup.windowed.firstSeen(worker.nextId());
    }

    @Benchmark
    public boolean latchkeyExact(LatchkeyDedup dedup, Clients.Worker worker) {
        return dedup.exact.firstSeen(worker.nextId());
    }

    @Benchmark
    public List<Boolean> latchkeyWindowedBatch100(LatchkeyDedup dedup, Clients.Worker worker) {
        List<String> ids = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            ids.add(worker.nextId());
        }
        return dedup.windowed.firstSeen(ids);
    }

    @Benchmark
    public boolean redissonSetAdd(Clients.RedissonState client, Clients.Worker worker) {
        RSet<String> set = client.redisson.getSet("redisson:seen");
        return set.add(worker.nextId());
    }
}
