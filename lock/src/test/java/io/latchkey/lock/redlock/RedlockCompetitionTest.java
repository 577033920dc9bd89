package io.latchkey.lock.redlock;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.lock.LockLease;
import io.latchkey.testing.EmbeddedRedis;
import io.latchkey.testing.FaultProxy;
import io.latchkey.testing.RedisTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** Two clients on five nodes, each seeing a different overlapping majority through its own fault proxies. */
@RedisTest(nodes = 5)
class RedlockCompetitionTest {

    private record Held(String client, long start, long end, long token) {
    }

    @Test
    void neverTwoValidLeasesAtOnce(List<EmbeddedRedis> nodes) throws Exception {
        List<FaultProxy> proxiesA = new ArrayList<>();
        List<FaultProxy> proxiesB = new ArrayList<>();
        for (EmbeddedRedis n : nodes) {
            proxiesA.add(FaultProxy.start(n));
            proxiesB.add(FaultProxy.start(n));
        }
        try (RedlockTestClients a = RedlockTestClients.connect(proxiesA.stream().map(FaultProxy::uri).toList());
             RedlockTestClients b = RedlockTestClients.connect(proxiesB.stream().map(FaultProxy::uri).toList())) {
            // A sees {0,1,2} (3 and 4 swallow its requests: timeouts); B sees {2,3,4} (0 and 1 refuse it at once).
            proxiesA.get(3).mode(FaultProxy.Mode.BLACKHOLE);
            proxiesA.get(4).mode(FaultProxy.Mode.BLACKHOLE);
            proxiesB.get(0).mode(FaultProxy.Mode.REFUSE);
            proxiesB.get(1).mode(FaultProxy.Mode.REFUSE);
            RedlockLock lockA = a.redlock().lock("contested");
            RedlockLock lockB = b.redlock().lock("contested");
            ConcurrentLinkedQueue<Held> held = new ConcurrentLinkedQueue<>();
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Future<?> fa = pool.submit(() -> contend("A", lockA, held));
                Future<?> fb = pool.submit(() -> contend("B", lockB, held));
                fa.get(60, TimeUnit.SECONDS);
                fb.get(60, TimeUnit.SECONDS);
            } finally {
                pool.shutdownNow();
            }
            List<Held> all = new ArrayList<>(held);
            all.sort(Comparator.comparingLong(Held::start));
            assertTrue(all.stream().filter(h -> h.client().equals("A")).count() >= 3, "A acquired: " + all);
            assertTrue(all.stream().filter(h -> h.client().equals("B")).count() >= 3, "B acquired: " + all);
            for (int i = 1; i < all.size(); i++) {
                Held prev = all.get(i - 1);
                Held next = all.get(i);
                assertTrue(prev.end() <= next.start(), "two valid leases at once: " + prev + " and " + next);
                assertTrue(next.token() > prev.token(), "fencing tokens increase: " + prev + " then " + next);
            }
        } finally {
            proxiesA.forEach(FaultProxy::close);
            proxiesB.forEach(FaultProxy::close);
        }
    }

    private static Void contend(String client, RedlockLock lock, ConcurrentLinkedQueue<Held> held) throws Exception {
        for (int i = 0; i < 25; i++) {
            Optional<LockLease> got = lock.tryAcquire(Duration.ofMillis(500), Duration.ofMillis(300));
            if (got.isPresent()) {
                LockLease lease = got.get();
                long start = System.nanoTime();
                long validUntil = start + lease.remaining().toNanos();
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(3)); // the protected work
                long end = Math.min(System.nanoTime(), validUntil);
                held.add(new Held(client, start, end, lease.fencingToken()));
                lease.release();
            }
            // other work between acquisitions, so neither client monopolises the lock
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(ThreadLocalRandom.current().nextInt(10, 40)));
        }
        return null;
    }
}
