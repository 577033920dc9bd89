package io.latchkey.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.Latchkey;
import io.latchkey.testing.EmbeddedRedis;
import io.latchkey.testing.RedisTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Mutual exclusion under contention, with a non-atomic counter as the witness. */
@RedisTest
class LockConcurrencyTest {

    private static final int THREADS = 16;
    private static final int ROUNDS = 40;

    // deliberately not atomic nor volatile-guarded: only the lock makes read-modify-write safe
    private int counter;
    private final List<Long> tokens = new ArrayList<>();

    @Test
    void sixteenThreadsNeverOverlapAndTokensIncreaseInAcquisitionOrder(Latchkey latchkey, EmbeddedRedis redis)
            throws Exception {
        DistributedLock lock = Locks.of(latchkey).lock("contended:counter");
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            results.add(pool.submit(() -> {
                start.await();
                int mine = 0;
                for (int i = 0; i < ROUNDS; i++) {
                    try (LockLease lease = lock.tryAcquire(Duration.ofSeconds(30), Duration.ofSeconds(60))
                            .orElseThrow(() -> new AssertionError("no lock within 60 s"))) {
                        int seen = counter;
                        tokens.add(lease.fencingToken()); // inside the critical section: acquisition order
                        Thread.yield(); // widen the race window
                        counter = seen + 1;
                        mine++;
                    }
                }
                return mine;
            }));
        }
        start.countDown();
        int total = 0;
        for (Future<Integer> f : results) {
            total += f.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertEquals(THREADS * ROUNDS, total);
        assertEquals(THREADS * ROUNDS, counter, "a lost update would mean two holders at once");
        assertEquals(THREADS * ROUNDS, tokens.size());
        for (int i = 1; i < tokens.size(); i++) {
            assertTrue(tokens.get(i) > tokens.get(i - 1), "token " + i + " not increasing: " + tokens.get(i - 1)
                    + " then " + tokens.get(i));
        }
        assertEquals(0L, redis.command("EXISTS", latchkey.namespace() + ":{contended:counter}:lock"));
    }
}
