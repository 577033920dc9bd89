package io.latchkey.benchmarks;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.latchkey.core.Latchkey;
import io.latchkey.dedup.DedupStrategy;
import io.latchkey.dedup.Deduplicator;
import io.latchkey.dedup.DeduplicatorOptions;
import io.latchkey.dedup.Deduplicators;
import io.latchkey.ratelimit.RateLimit;
import io.latchkey.ratelimit.RateLimiter;
import io.latchkey.ratelimit.RateLimiters;
import io.latchkey.testing.EmbeddedRedis;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.redisson.api.RRateLimiter;
import org.redisson.api.RSet;
import org.redisson.api.RateType;

/**
 * Redis memory per rate-limited key and per deduplicated id: after filling a flushed server, the sum of
 * {@code MEMORY USAGE key SAMPLES 0} over every key (key name, value and Redis's per-key overhead, exact for
 * aggregates), divided by the count.
 */
final class Footprint {

    static final int KEYS = 200;
    static final int REQUESTS_PER_KEY = 4;
    static final int IDS = 5_000;
    static final int BATCH = 100;

    private static Clients.RawLettuce probe;

    private Footprint() {
    }

    static String measure(EmbeddedRedis redis) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"what", "setting", "Redis keys", "bytes"});
        Clients.LatchkeyClient lk = new Clients.LatchkeyClient();
        Clients.RawLettuce raw = new Clients.RawLettuce();
        Clients.RedissonState redisson = new Clients.RedissonState();
        Clients.Bucket4jState bucket4j = new Clients.Bucket4jState();
        
        lk.open();
        raw.open();
        probe = raw;
        redisson.open();
        bucket4j.open();
        try {
            Latchkey latchkey = lk.latchkey;
            String perKey = KEYS + " keys x " + REQUESTS_PER_KEY + " requests, limit 100/min";
            for (String algorithm : Suite.ALGORITHMS) {
                RateLimit limit = switch (algorithm) {
                    case "fixedWindow" -> RateLimit.fixedWindow(100, Duration.ofMinutes(1));
                    case "slidingLog" -> RateLimit.slidingLog(100, Duration.ofMinutes(1));
                    case "slidingWindow" -> RateLimit.slidingWindow(100, Duration.ofMinutes(1));
                    default -> RateLimit.tokenBucket(100, 100, Duration.ofMinutes(1));
                };
                RateLimiter limiter = RateLimiters.of(latchkey).limiter("mem-" + algorithm, limit);
                rows.add(row("rate limit: Latchkey " + algorithm + ", per key", perKey, redis, KEYS,
                        k -> requests(() -> limiter.tryAcquire("user:" + k))));
            }
            rows.add(row("rate limit: raw INCR fixed window, per key", perKey, redis, KEYS,
                    k -> requests(() -> raw.redis.evalsha(raw.fixedWindow, io.lettuce.core.ScriptOutputType.INTEGER,
                            new String[] {"raw:rl:user:" + k}, "100", "60000"))));
            BucketConfiguration config = BucketConfiguration.builder()
                    .addLimit(l -> l.capacity(100).refillGreedy(100, Duration.ofMinutes(1))).build();
            rows.add(row("rate limit: Bucket4j bucket, per key", perKey, redis, KEYS, k -> {
                Bucket b = bucket4j.buckets.builder().build("bucket4j:user:" + k, () -> config);
                requests(() -> b.tryConsume(1));
            }));
            rows.add(row("rate limit: Redisson RRateLimiter, per key", perKey, redis, KEYS, k -> {
                RRateLimiter r = redisson.redisson.getRateLimiter("redisson:user:" + k);
                r.trySetRate(RateType.OVERALL, 100, Duration.ofMinutes(1));
                requests(r::tryAcquire);
            }));

            String perId = IDS + " ids, TTL 24 h";
            for (DedupStrategy strategy : DedupStrategy.values()) {
                Deduplicator d = Deduplicators.of(latchkey).deduplicator("mem-" + strategy, Duration.ofHours(24),
                        DeduplicatorOptions.builder().strategy(strategy).build());
                rows.add(batchRow("dedup: Latchkey " + strategy + ", per id", perId, redis, d::firstSeen));
            }
            rows.add(batchRow("dedup: raw SADD, per id", perId + " (one set, no expiry per id)", redis,
                    ids -> raw.redis.sadd("raw:seen", ids.toArray(String[]::new))));
            RSet<String> set = redisson.redisson.getSet("redisson:seen");
            rows.add(batchRow("dedup: Redisson RSet, per id", perId + " (one set, no expiry per id)", redis,
                    set::addAll));
        } finally {
            bucket4j.close();
            redisson.close();
            raw.close();
            lk.close();
        }
        return Report.table(rows, 2);
    }

    private static String id(int i) {
        return "evt-7f3a9c1e-" + i;
    }

    private static void requests(Runnable request) {
        for (int r = 0; r < REQUESTS_PER_KEY; r++) {
            request.run();
        }
    }

    private static String[] row(String what, String setting, EmbeddedRedis redis, int count, IntConsumer fill) {
        return row(what, setting, redis, count, fill, 1);
    }

    private static String[] row(String what, String setting, EmbeddedRedis redis, int iterations, IntConsumer fill,
                                int itemsPerIteration) {
        redis.flushAll();
        for (int i = 0; i < iterations; i++) {
            fill.accept(i);
        }
        List<String> keys = probe.redis.keys("*");
        List<RedisFuture<Long>> usages = new ArrayList<>(keys.size());
        for (String key : keys) {
            usages.add(probe.connection.async().dispatch(CommandType.MEMORY, new IntegerOutput<>(StringCodec.UTF8),
                    new CommandArgs<>(StringCodec.UTF8).add("USAGE").addKey(key).add("SAMPLES").add(0)));
        }
        long bytes = 0;
        for (RedisFuture<Long> usage : usages) {
            try {
                Long b = usage.get(30, TimeUnit.SECONDS);
                bytes += b == null ? 0 : b;
            } catch (Exception e) {
                throw new IllegalStateException("MEMORY USAGE failed", e);
            }
        }
        return new String[] {what, setting, Integer.toString(keys.size()),
                Report.count(bytes / ((double) iterations * itemsPerIteration))};
    }

    /** Fills {@link #IDS} ids in batches of {@link #BATCH}; memory does not depend on how ids arrive. */
    private static String[] batchRow(String what, String setting, EmbeddedRedis redis,
                                     Consumer<List<String>> fill) {
        return row(what, setting, redis, IDS / BATCH, b -> {
            List<String> ids = new ArrayList<>(BATCH);
            for (int i = 0; i < BATCH; i++) {
                ids.add(id(b * BATCH + i));
            }
            fill.accept(ids);
        }, BATCH);
    }
}
