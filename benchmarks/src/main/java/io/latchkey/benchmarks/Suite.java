package io.latchkey.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The cases run side by side and the targets from the module issues they are checked against. */
final class Suite {

    static final int[] THREADS = {1, 16};
    static final List<String> ALGORITHMS = List.of("fixedWindow", "slidingLog", "slidingWindow", "tokenBucket");

    private Suite() {
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        // locks (#3)
        for (int t : THREADS) {
            cases.add(Case.of("lock.raw." + t, "lock", "raw Lettuce SET NX PX + EVALSHA compare-and-delete, key per thread",
                    LockBenchmarks.class, "rawUncontended", t));
            cases.add(Case.of("lock.latchkey." + t, "lock", "Latchkey acquire + release, key per thread",
                    LockBenchmarks.class, "latchkeyUncontended", t));
            cases.add(Case.of("lock.redisson." + t, "lock", "Redisson RLock tryLock + unlock, key per thread",
                    LockBenchmarks.class, "redissonUncontended", t));
        }
        cases.add(Case.of("lock.latchkey.contended.16", "lock", "Latchkey acquire (waiting) + release, one key",
                LockBenchmarks.class, "latchkeyContended", 16));
        cases.add(Case.of("lock.redisson.contended.16", "lock", "Redisson RLock tryLock (waiting) + unlock, one key",
                LockBenchmarks.class, "redissonContended", 16));
        // Redlock (#3): no alternative worth comparing (Redisson's RedLock is deprecated); shown next to the single lock
        for (int t : THREADS) {
            cases.add(Case.of("redlock.latchkey." + t, "redlock", "Latchkey Redlock (3 nodes) acquire + release, key per thread",
                    RedlockBenchmarks.class, "latchkeyRedlock", t));
        }
        // dedup (#6)
        for (int t : THREADS) {
            cases.add(Case.of("dedup.raw." + t, "dedup", "raw Lettuce SADD",
                    DedupBenchmarks.class, "rawSadd", t));
            cases.add(Case.of("dedup.windowed." + t, "dedup", "Latchkey firstSeen, WINDOWED",
                    DedupBenchmarks.class, "latchkeyWindowed", t));
            cases.add(Case.of("dedup.exact." + t, "dedup", "Latchkey firstSeen, EXACT",
                    DedupBenchmarks.class, "latchkeyExact", t));
            cases.add(Case.of("dedup.batch." + t, "dedup", "Latchkey firstSeen(100 ids), WINDOWED (op = batch)",
                    DedupBenchmarks.class, "latchkeyWindowedBatch100", t).withItemsPerOp(DedupBenchmarks.BATCH));
            cases.add(Case.of("dedup.redisson." + t, "dedup", "Redisson RSet.add",
                    DedupBenchmarks.class, "redissonSetAdd", t));
        }
        // semaphores (#7)
        for (int t : THREADS) {
            cases.add(Case.of("sem.latchkey." + t, "semaphore", "Latchkey tryAcquire + release",
                    SemaphoreBenchmarks.class, "latchkey", t));
            cases.add(Case.of("sem.redisson." + t, "semaphore", "Redisson RSemaphore tryAcquire + release",
                    SemaphoreBenchmarks.class, "redissonSemaphore", t));
            cases.add(Case.of("sem.expirable." + t, "semaphore",
                    "Redisson RPermitExpirableSemaphore tryAcquire + release",
                    SemaphoreBenchmarks.class, "redissonPermitExpirable", t));
        }
        // rate limiters (#5)
        for (int t : THREADS) {
            cases.add(Case.of("rl.raw.shared." + t, "ratelimit", "raw Lettuce EVALSHA fixed window, shared key",
                    RateLimitBenchmarks.class, "rawFixedWindowShared", t));
            cases.add(Case.of("rl.bucket4j.shared." + t, "ratelimit", "Bucket4j Lettuce CAS bucket, shared key",
                    RateLimitBenchmarks.class, "bucket4jShared", t));
            cases.add(Case.of("rl.redisson.shared." + t, "ratelimit", "Redisson RRateLimiter, shared key",
                    RateLimitBenchmarks.class, "redissonShared", t));
        }
        for (String algorithm : ALGORITHMS) {
            for (int t : THREADS) {
                cases.add(Case.of("rl." + algorithm + ".shared." + t, "ratelimit", "Latchkey " + algorithm + ", shared key",
                        RateLimitBenchmarks.class, "latchkeyShared", t).withParams(Map.of("algorithm", algorithm)));
            }
            cases.add(Case.of("rl." + algorithm + ".perthread.16", "ratelimit", "Latchkey " + algorithm
                    + ", key per thread", RateLimitBenchmarks.class, "latchkeyPerThread", 16)
                    .withParams(Map.of("algorithm", algorithm)));
        }
        cases.add(Case.of("rl.raw.perthread.16", "ratelimit", "raw Lettuce EVALSHA fixed window, key per thread",
                RateLimitBenchmarks.class, "rawFixedWindowPerThread", 16));
        cases.add(Case.of("rl.bucket4j.perthread.16", "ratelimit", "Bucket4j Lettuce CAS bucket, key per thread",
                RateLimitBenchmarks.class, "bucket4jPerThread", 16));
        cases.add(Case.of("rl.redisson.perthread.16", "ratelimit", "Redisson RRateLimiter, key per thread",
                RateLimitBenchmarks.class, "redissonPerThread", 16));
        return cases;
    }

    static List<Target> targets() {
        List<Target> t = new ArrayList<>();
        for (int n : THREADS) {
            t.add(Target.atLeast("lock uncontended, " + n + " thr: Latchkey / raw Lettuce pair", 3,
                    "lock.latchkey." + n, "lock.raw." + n, 0.85).withFloor(Target.Floor.SERVER_COST));
            t.add(Target.atLeast("lock uncontended, " + n + " thr: Latchkey / Redisson RLock", 3,
                    "lock.latchkey." + n, "lock.redisson." + n, 2));
        }
        t.add(Target.atLeast("lock contended, 16 thr: Latchkey / Redisson acquisitions/s", 3,
                "lock.latchkey.contended.16", "lock.redisson.contended.16", 3).withFloor(Target.Floor.HANDOVER));
        t.add(new Target("lock contended, 16 thr: Latchkey p99 / Redisson p99", 3,
                "lock.latchkey.contended.16", "lock.redisson.contended.16", Target.Metric.P99, 0.2, false,
                Target.Floor.NONE));
        for (String a : ALGORITHMS) {
            for (int n : THREADS) {
                t.add(Target.atLeast("rate limit " + a + ", shared key, " + n + " thr: Latchkey / raw EVALSHA script", 5,
                        "rl." + a + ".shared." + n, "rl.raw.shared." + n, 0.85).withFloor(Target.Floor.SERVER_COST));
            }
            t.add(Target.atLeast("rate limit " + a + ", shared key, 16 thr: Latchkey / Bucket4j", 5,
                    "rl." + a + ".shared.16", "rl.bucket4j.shared.16", 5));
            t.add(Target.atLeast("rate limit " + a + ", shared key, 16 thr: Latchkey / Redisson RRateLimiter", 5,
                    "rl." + a + ".shared.16", "rl.redisson.shared.16", 2));
            t.add(new Target("rate limit " + a + ", shared key, 16 thr: Latchkey p99", 5,
                    "rl." + a + ".shared.16", null, Target.Metric.P99_MS, 2, false, Target.Floor.NONE));
            t.add(Target.info("rate limit " + a + ", key per thread, 16 thr: Latchkey / Bucket4j",
                    "rl." + a + ".perthread.16", "rl.bucket4j.perthread.16"));
        }
        for (int n : THREADS) {
            t.add(Target.info("Redlock (3 nodes), " + n + " thr: Redlock / single-instance lock",
                    "redlock.latchkey." + n, "lock.latchkey." + n));
        }
        for (int n : THREADS) {
            t.add(Target.atLeast("dedup, " + n + " thr: WINDOWED firstSeen / raw SADD", 6,
                    "dedup.windowed." + n, "dedup.raw." + n, 0.85).withFloor(Target.Floor.SERVER_COST));
            t.add(Target.atLeast("dedup, " + n + " thr: EXACT firstSeen / raw SADD", 6,
                    "dedup.exact." + n, "dedup.raw." + n, 0.85).withFloor(Target.Floor.SERVER_COST));
            t.add(Target.info("dedup, " + n + " thr: WINDOWED firstSeen / Redisson RSet.add",
                    "dedup.windowed." + n, "dedup.redisson." + n));
            t.add(Target.atLeast("dedup, " + n + " thr: batch of 100 / single calls (ids/s)", 6,
                    "dedup.batch." + n, "dedup.windowed." + n, 10));
        }
        for (int n : THREADS) {
            t.add(Target.atLeast("semaphore(1000), " + n + " thr: Latchkey / Redisson RSemaphore", 7,
                    "sem.latchkey." + n, "sem.redisson." + n, 2).withFloor(Target.Floor.SERVER_COST_RAW_CLIENT));
            t.add(Target.info("semaphore(1000), " + n + " thr: Latchkey / Redisson RPermitExpirableSemaphore",
                    "sem.latchkey." + n, "sem.expirable." + n));
        }
        return t;
    }
}
