package io.latchkey.benchmarks;

import io.github.bucket4j.BucketConfiguration;
import io.latchkey.ratelimit.RateLimit;
import io.latchkey.ratelimit.RateLimitDecision;
import io.latchkey.ratelimit.RateLimiter;
import io.latchkey.ratelimit.RateLimiterOptions;
import io.latchkey.ratelimit.RateLimiters;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.redisson.api.RRateLimiter;
import org.redisson.api.RateType;

/**
 * One operation = one rate-limit decision for one permit, on a key all threads share ("shared") or on the thread's
 * own key ("per thread"). Limits are {@link BenchEnv#UNBOUNDED_RATE} per second, so every request is admitted and
 * every call takes the write path.
 */
public class RateLimitBenchmarks {

    static final Duration WINDOW = Duration.ofSeconds(1);

    /** A Latchkey limiter with one limit of the algorithm under test. */
    @State(Scope.Benchmark)
    public static class LatchkeyLimiter {
        @Param({"fixedWindow", "slidingLog", "slidingWindow", "tokenBucket"})
        public String algorithm;
        RateLimiter limiter;

        @Setup(Level.Trial)
        public void setup(Clients.LatchkeyClient client) {
            RateLimit limit = switch (algorithm) {
                case "fixedWindow" -> RateLimit.fixedWindow(BenchEnv.UNBOUNDED_RATE, WINDOW);
                case "slidingLog" -> RateLimit.slidingLog(BenchEnv.UNBOUNDED_RATE, WINDOW);
                case "slidingWindow" -> RateLimit.slidingWindow(BenchEnv.UNBOUNDED_RATE, WINDOW);
                case "tokenBucket" -> RateLimit.tokenBucket(BenchEnv.UNBOUNDED_RATE, BenchEnv.UNBOUNDED_RATE, WINDOW);
                default -> throw new IllegalArgumentException(algorithm);
            };
            // a generous timeout: a loaded machine must show up as latency, not as fallback decisions
            limiter = RateLimiters.of(client.latchkey).limiter("api-" + algorithm,
                    RateLimiterOptions.builder().timeout(Duration.ofSeconds(10)).build(), limit);
        }
    }

    @Benchmark
    public boolean latchkeyShared(LatchkeyLimiter l) {
        return admitted(l.limiter.tryAcquire("shared"));
    }

    @Benchmark
    public boolean latchkeyPerThread(LatchkeyLimiter l, Clients.Worker worker) {
        return admitted(l.limiter.tryAcquire(worker.ownKey));
    }

    private static boolean admitted(RateLimitDecision d) {
        if (!d.allowed() || d.isFallback()) {
            throw new IllegalStateException("expected an admitted decision from Redis, got " + d);
        }
        return true;
    }

    /** The physical limit: one EVALSHA of an INCR + PEXPIRE fixed-window script. */
    @Benchmark
    public boolean rawFixedWindowShared(Clients.RawLettuce raw) {
        return rawDecision(raw, "raw:rl:shared");
    }

    @Benchmark
    public boolean rawFixedWindowPerThread(Clients.RawLettuce raw, Clients.Worker worker) {
        return rawDecision(raw, "raw:rl:" + worker.ownKey);
    }

    private static boolean rawDecision(Clients.RawLettuce raw, String key) {
        Long allowed = raw.redis.evalsha(raw.fixedWindow, ScriptOutputType.INTEGER, new String[] {key},
                Long.toString(BenchEnv.UNBOUNDED_RATE), Long.toString(WINDOW.toMillis()));
        return allowed == 1L;
    }

    /** Bucket4j buckets built through its Lettuce compare-and-swap proxy manager. */
    @State(Scope.Thread)
    public static class Bucket4jBuckets {
        io.github.bucket4j.Bucket shared;
        io.github.bucket4j.Bucket own;

        @Setup(Level.Trial)
        public void setup(Clients.Bucket4jState state, Clients.Worker worker) {
            BucketConfiguration config = BucketConfiguration.builder()
                    .addLimit(limit -> limit.capacity(BenchEnv.UNBOUNDED_RATE)
                            .refillGreedy(BenchEnv.UNBOUNDED_RATE, WINDOW))
                    .build();
            shared = state.buckets.builder().build("bucket4j:rl:shared", () -> config);
            own = state.buckets.builder().build("bucket4j:rl:" + worker.ownKey, () -> config);
        }
    }

    @Benchmark
    public boolean bucket4jShared(Bucket4jBuckets buckets) {
        return buckets.shared.tryConsume(1);
    }

    @Benchmark
    public boolean bucket4jPerThread(Bucket4jBuckets buckets) {
        return buckets.own.tryConsume(1);
    }

    /** Redisson rate limiters: one shared, one per thread. */
    @State(Scope.Thread)
    public static class RedissonLimiters {
        RRateLimiter shared;
        RRateLimiter own;

        @Setup(Level.Trial)
        public void setup(Clients.RedissonState state, Clients.Worker worker) {
            shared = state.redisson.getRateLimiter("redisson:rl:shared");
            shared.trySetRate(RateType.OVERALL, BenchEnv.UNBOUNDED_RATE, WINDOW);
            own = state.redisson.getRateLimiter("redisson:rl:" + worker.ownKey);
            own.trySetRate(RateType.OVERALL, BenchEnv.UNBOUNDED_RATE, WINDOW);
        }
    }

    @Benchmark
    public boolean redissonShared(RedissonLimiters limiters) {
        return limiters.shared.tryAcquire();
    }

    @Benchmark
    public boolean redissonPerThread(RedissonLimiters limiters) {
        return limiters.own.tryAcquire();
    }
}
