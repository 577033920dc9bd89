package io.latchkey.lock.redlock;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.Latchkey;
import io.latchkey.core.LeaseRequest;
import io.latchkey.core.ReleaseResult;
import io.latchkey.lock.LockHolder;
import io.latchkey.lock.LockLease;
import io.latchkey.lock.redlock.RedlockNodeOutcome.Status;
import io.latchkey.core.spi.Internals;
import io.latchkey.testing.EmbeddedRedis;
import io.latchkey.testing.FaultProxy;
import io.latchkey.testing.RedisTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Redlock against five real nodes behind fault proxies (tests on three use the first three). */
@RedisTest(nodes = 5, proxied = true)
class RedlockTest {

    private static final Duration LEASE = Duration.ofSeconds(2);

    private static String lockKey(Latchkey client, String name) {
        return Internals.of(client).keys().key(name, "redlock");
    }

    private static boolean exists(EmbeddedRedis node, String key) {
        return ((Number) node.command("EXISTS", key)).longValue() == 1;
    }

    /**
     * Every subset of failed nodes (BLACKHOLE proxies) for N = 3 and N = 5: the acquire succeeds exactly when a
     * majority answers, and otherwise fails closed with each node's outcome.
     */
    @Test
    void acquireSucceedsExactlyWhenAMajorityAnswers(List<FaultProxy> proxies) throws InterruptedException {
        for (int n : new int[] {3, 5}) {
            try (RedlockTestClients c = RedlockTestClients.connect(RedlockTestClients.uris(proxies, n))) {
                Redlock redlock = c.redlock();
                for (int mask = 0; mask < (1 << n); mask++) {
                    for (int i = 0; i < n; i++) {
                        if ((mask & (1 << i)) != 0) {
                            proxies.get(i).mode(FaultProxy.Mode.BLACKHOLE);
                        }
                    }
                    int failed = Integer.bitCount(mask);
                    String where = "n=" + n + " failed mask=" + Integer.toBinaryString(mask);
                    checkSubset(redlock.lock("subset:" + n + "-" + mask), n, mask, where);
                    for (int i = 0; i < n; i++) {
                        proxies.get(i).mode(FaultProxy.Mode.PASS);
                    }
                    if (failed > 0) {
                        c.awaitConnected();
                    }
                }
            }
        }
    }

    /**
     * One subset. On a loaded machine a healthy node can miss the short per-node timeout too; such a round proves
     * nothing either way and is tried again (at most three times), never counted as a pass.
     */
    private static void checkSubset(RedlockLock lock, int n, int mask, String where) {
        int failed = Integer.bitCount(mask);
        boolean majority = n - failed >= lock.quorum();
        for (int tries = 1; ; tries++) {
            RedlockRound round;
            RedlockLease lease = null;
            try {
                lease = (RedlockLease) lock.tryAcquire(LEASE).orElse(null);
                round = lease != null ? lease.acquisition() : lock.lastFailedAttempt().orElseThrow();
            } catch (RedlockQuorumException e) {
                round = e.round();
            }
            boolean healthySlow = false;
            for (RedlockNodeOutcome o : round.nodes()) {
                healthySlow |= (mask & (1 << o.node())) == 0 && o.status() != Status.ACQUIRED;
            }
            if (healthySlow && tries < 3) {
                if (lease != null) {
                    lease.close();
                }
                continue;
            }
            if (majority) {
                assertNotNull(lease, "not acquired: " + where + " " + round);
                assertEquals(n - failed, lease.acquisition().count(Status.ACQUIRED), where);
                assertEquals(failed, lease.acquisition().count(Status.TIMED_OUT), where);
                assertTrue(lease.fencing().count(Status.FENCED) >= lock.quorum(), where);
                assertTrue(lease.isValid() && lease.fencingToken() > 0, where);
                assertEquals(ReleaseResult.RELEASED, lease.release(), where);
            } else {
                assertNull(lease, where);
                assertFalse(round.quorumReached(), where);
                assertEquals(n - failed, round.answered(), where);
                assertEquals(failed, round.count(Status.TIMED_OUT), where);
            }
            return;
        }
    }

    /** Paused nodes (SIGSTOP): same rule, and the grant that lands after the resume is released. */
    @Test
    void pausedNodesCountAsFailedAndTheirLateGrantIsReleased(List<FaultProxy> proxies, List<EmbeddedRedis> nodes)
            throws InterruptedException {
        try (RedlockTestClients c = RedlockTestClients.connect(RedlockTestClients.uris(proxies, 3))) {
            RedlockLock lock = c.redlock().lock("paused:one");
            nodes.get(0).pause();
            try {
                RedlockLease lease = (RedlockLease) lock.tryAcquire(LEASE, RedlockTestClients.WAIT).orElseThrow();
                assertEquals(Status.TIMED_OUT, lease.acquisition().nodes().get(0).status());
                assertEquals(ReleaseResult.RELEASED, lease.release(), "a node down does not fail the release");
                assertEquals(Status.TIMED_OUT, lease.releaseRound().orElseThrow().nodes().get(0).status());
            } finally {
                nodes.get(0).resume();
            }
            String key = lockKey(c.clients.get(0), "paused:one");
            // the acquire queued on the paused node runs on resume, and the release queued behind it removes it
            await().atMost(Duration.ofSeconds(5)).until(() -> !exists(nodes.get(0), key));

            RedlockLock two = c.redlock().lock("paused:two");
            nodes.get(0).pause();
            nodes.get(1).pause();
            try {
                RedlockQuorumException e = assertThrows(RedlockQuorumException.class, () -> two.tryAcquire(LEASE));
                assertEquals(1, e.round().answered());
                assertTrue(two.lastFailedAttempt().isPresent());
            } finally {
                nodes.get(0).resume();
                nodes.get(1).resume();
            }
            String key2 = lockKey(c.clients.get(0), "paused:two");
            await().atMost(Duration.ofSeconds(5)).until(() -> nodes.stream().limit(3).noneMatch(n -> exists(n, key2)));
        }
    }

    @Test
    void aHeldLockIsNotAcquiredAndWaitersGetItAfterRelease(List<FaultProxy> proxies) throws Exception {
        try (RedlockTestClients a = RedlockTestClients.connect(RedlockTestClients.uris(proxies, 5));
             RedlockTestClients b = RedlockTestClients.connect(RedlockTestClients.uris(proxies, 5))) {
            RedlockLock la = a.redlock().lock("job:nightly");
            RedlockLock lb = b.redlock().lock("job:nightly");
            LockLease first = la.tryAcquire(LEASE, RedlockTestClients.WAIT).orElseThrow();
            assertTrue(lb.tryAcquire(LEASE).isEmpty(), "held by another owner on every node");
            assertEquals(5, lb.lastFailedAttempt().orElseThrow().count(Status.HELD));
            LockHolder holder = lb.holder().orElseThrow();
            assertEquals(first.id(), holder.ownerId());
            assertEquals(first.fencingToken(), holder.fencingToken());
            assertTrue(lb.isLocked());

            CompletableFuture<Optional<LockLease>> waiting = lb.tryAcquireAsync(LEASE, Duration.ofSeconds(5));
            assertFalse(waiting.isDone());
            assertEquals(ReleaseResult.RELEASED, first.release());
            LockLease second = waiting.get(5, TimeUnit.SECONDS).orElseThrow();
            assertTrue(second.fencingToken() > first.fencingToken(), "fencing tokens increase");
            assertEquals(ReleaseResult.RELEASED, second.release());
            assertFalse(la.isLocked());
            assertEquals(ReleaseResult.RELEASED, second.release(), "release is idempotent");
        }
    }

    @Test
    void aWaitEndsEmptyAfterMaxWaitWhileHeld(List<FaultProxy> proxies) throws Exception {
        try (RedlockTestClients a = RedlockTestClients.connect(RedlockTestClients.uris(proxies, 3))) {
            RedlockLock lock = a.redlock().lock("held");
            LockLease held = lock.tryAcquire(LEASE, RedlockTestClients.WAIT).orElseThrow();
            long start = System.nanoTime();
            assertTrue(lock.tryAcquire(LEASE, Duration.ofMillis(150)).isEmpty());
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(150), "waited maxWait");
            held.release();
        }
    }

    @Test
    void releaseOfAnExpiredLeaseReportsAlreadyGone(List<FaultProxy> proxies, List<EmbeddedRedis> nodes)
            throws InterruptedException {
        try (RedlockTestClients c = RedlockTestClients.connect(RedlockTestClients.uris(proxies, 3))) {
            RedlockLock lock = c.redlock().lock("expiring");
            RedlockLease lease = (RedlockLease) lock
                    .tryAcquire(Duration.ofMillis(150), RedlockTestClients.WAIT).orElseThrow();
            assertTrue(lease.validityAtAcquisition().compareTo(Duration.ofMillis(150)) < 0);
            String key = lockKey(c.clients.get(0), "expiring");
            // the lease ends locally before any node expires it; wait until every node has
            await().atMost(Duration.ofSeconds(3)).until(() -> !lease.isValid()
                    && nodes.stream().limit(3).noneMatch(n -> exists(n, key)));
            assertFalse(lock.isLocked());
            assertEquals(ReleaseResult.ALREADY_GONE, lease.release());
            assertEquals(3, lease.releaseRound().orElseThrow().count(Status.ALREADY_GONE));
            assertFalse(lease.extend(LEASE), "an expired lease cannot be extended");
            lease.close();
        }
    }

    @Test
    void releaseWithANodeDownSucceedsAndTheNodeIsCleanedLater(List<FaultProxy> proxies, List<EmbeddedRedis> nodes)
            throws InterruptedException {
        try (RedlockTestClients c = RedlockTestClients.connect(RedlockTestClients.uris(proxies, 3))) {
            RedlockLock lock = c.redlock().lock("node-down");
            RedlockLease lease = (RedlockLease) lock.tryAcquire(LEASE, RedlockTestClients.WAIT).orElseThrow();
            proxies.get(2).mode(FaultProxy.Mode.BLACKHOLE);
            assertEquals(ReleaseResult.RELEASED, lease.release());
            RedlockRound r = lease.releaseRound().orElseThrow();
            assertEquals(2, r.count(Status.RELEASED));
            assertEquals(Status.TIMED_OUT, r.nodes().get(2).status());
            assertTrue(r.quorumReached());
            proxies.get(2).mode(FaultProxy.Mode.PASS);
            String key = lockKey(c.clients.get(0), "node-down");
            // the background release reaches the node once it is back (well before the lease ends)
            await().atMost(Duration.ofSeconds(5)).until(() -> !exists(nodes.get(2), key));
        }
    }

    @Test
    void extendNeedsAMajority(List<FaultProxy> proxies) throws InterruptedException {
        try (RedlockTestClients c = RedlockTestClients.connect(RedlockTestClients.uris(proxies, 3))) {
            RedlockLock lock = c.redlock().lock("extended");
            RedlockLease lease = (RedlockLease) lock
                    .tryAcquire(Duration.ofMillis(500), RedlockTestClients.WAIT).orElseThrow();
            assertTrue(lease.extend(Duration.ofSeconds(5)));
            assertTrue(lease.remaining().compareTo(Duration.ofSeconds(4)) > 0);
            assertEquals(3, lease.lastExtension().orElseThrow().count(Status.EXTENDED));
            proxies.get(0).mode(FaultProxy.Mode.BLACKHOLE);
            assertTrue(lease.extend(Duration.ofSeconds(5)), "two of three is a majority");
            proxies.get(1).mode(FaultProxy.Mode.BLACKHOLE);
            assertFalse(lease.extend(Duration.ofSeconds(5)), "one of three is not");
            assertTrue(lease.isValid(), "a failed extension keeps the lease it had");
            proxies.get(0).mode(FaultProxy.Mode.PASS);
            proxies.get(1).mode(FaultProxy.Mode.PASS);
            c.awaitConnected();
            assertEquals(ReleaseResult.RELEASED, lease.release());
            assertFalse(lease.extend(Duration.ofSeconds(5)), "a released lease cannot be extended");
        }
    }

    @Test
    void theWatchdogKeepsALeaseAliveAndStopsOnRelease(List<FaultProxy> proxies, List<EmbeddedRedis> nodes)
            throws Exception {
        try (RedlockTestClients c = RedlockTestClients.connect(RedlockTestClients.uris(proxies, 3))) {
            RedlockLock lock = c.redlock().lock("watched");
            LockLease lease = lock.tryAcquire(LeaseRequest.builder(Duration.ofMillis(500)).watchdog(true)
                    .maxWait(RedlockTestClients.WAIT).build())
                    .orElseThrow();
            long start = System.nanoTime();
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() -> {
                assertTrue(lease.isValid(), () -> "renewed: " + ((RedlockLease) lease).lastExtension() + " "
                        + lease.remaining());
                return System.nanoTime() - start > TimeUnit.MILLISECONDS.toNanos(1500); // three leases
            });
            assertEquals(ReleaseResult.RELEASED, lease.release());
            String key = lockKey(c.clients.get(0), "watched");
            assertTrue(nodes.stream().limit(3).noneMatch(n -> exists(n, key)), "no renewal after the release");
        }
    }

    @Test
    void forceReleaseRemovesTheLockEverywhere(List<FaultProxy> proxies) throws InterruptedException {
        try (RedlockTestClients c = RedlockTestClients.connect(RedlockTestClients.uris(proxies, 3))) {
            RedlockLock lock = c.redlock().lock("forced");
            LockLease lease = lock.tryAcquire(LEASE, RedlockTestClients.WAIT).orElseThrow();
            assertTrue(lock.forceRelease());
            assertFalse(lock.isLocked());
            assertFalse(lock.forceRelease());
            assertEquals(ReleaseResult.ALREADY_GONE, lease.release());
        }
    }

    @Test
    void metricsPerGroupAndNode(List<FaultProxy> proxies) throws InterruptedException {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (RedlockTestClients c = RedlockTestClients.connect(RedlockTestClients.uris(proxies, 3), registry)) {
            RedlockLock lock = c.redlock().lock("report:7");
            proxies.get(1).mode(FaultProxy.Mode.BLACKHOLE);
            lock.tryAcquire(LEASE, RedlockTestClients.WAIT).orElseThrow().release();
            proxies.get(2).mode(FaultProxy.Mode.BLACKHOLE);
            assertThrows(RedlockQuorumException.class, () -> lock.tryAcquire(LEASE));
            // a loaded machine may add attempts; the relations below hold whatever their number
            double achieved = registry.get("latchkey.lock.redlock.quorum").tags("name", "report", "result", "achieved")
                    .counter().count();
            assertEquals(1, achieved);
            assertTrue(registry.get("latchkey.lock.redlock.quorum").tags("name", "report", "result", "failed")
                    .counter().count() >= 1);
            assertTrue(registry.get("latchkey.lock.redlock.node.failures")
                    .tags("name", "report", "node", "1", "operation", "acquire", "status", "timed_out").counter()
                    .count() >= 2);
            assertEquals(1, registry.get("latchkey.lock.redlock.validity").tags("name", "report").timer().count());
            assertEquals(1, registry.get("latchkey.lock.redlock.acquire").tags("name", "report", "result", "acquired")
                    .timer().count());
            assertEquals(1, registry.get("latchkey.lock.redlock.acquire").tags("name", "report", "result", "error")
                    .timer().count());
        }
    }

    @Test
    void badInputFailsBeforeAnyRedisCall(List<FaultProxy> proxies) throws InterruptedException {
        try (RedlockTestClients c = RedlockTestClients.connect(RedlockTestClients.uris(proxies, 3))) {
            assertThrows(IllegalArgumentException.class, () -> Redlock.of(List.of()));
            assertThrows(NullPointerException.class, () -> Redlock.of(null));
            assertThrows(IllegalArgumentException.class,
                    () -> Redlock.of(List.of(c.clients.get(0), c.clients.get(0))));
            assertThrows(IllegalArgumentException.class, () -> Redlock.of(c.clients,
                    RedlockOptions.builder().nodeNames(List.of("a")).build()));
            Redlock redlock = c.redlock();
            assertThrows(NullPointerException.class, () -> redlock.lock(null));
            assertThrows(IllegalArgumentException.class, () -> redlock.lock("a{b}"));
            assertThrows(IllegalArgumentException.class, () -> redlock.lock(" "));
            RedlockLock lock = redlock.lock("input");
            assertThrows(IllegalArgumentException.class, () -> lock.tryAcquire(Duration.ZERO));
            assertThrows(IllegalArgumentException.class, () -> lock.tryAcquire(LEASE, Duration.ofMillis(-1)));
            assertThrows(NullPointerException.class, () -> lock.tryAcquireAsync(null, Duration.ZERO));
            LockLease lease = lock.tryAcquire(LEASE, RedlockTestClients.WAIT).orElseThrow();
            assertThrows(IllegalArgumentException.class, () -> lease.extend(Duration.ZERO));
            assertEquals(3, lock.nodeCount());
            assertEquals(2, lock.quorum());
            lease.release();
        }
    }

    @Test
    void aLeaseGrantedAfterTheCallerCancelledIsReleased(List<FaultProxy> proxies, List<EmbeddedRedis> nodes)
            throws InterruptedException {
        try (RedlockTestClients c = RedlockTestClients.connect(RedlockTestClients.uris(proxies, 3))) {
            RedlockLock lock = c.redlock().lock("cancelled");
            proxies.subList(0, 3).forEach(p -> p.delay(Duration.ofMillis(20)));
            CompletableFuture<Optional<LockLease>> f = lock.tryAcquireAsync(Duration.ofSeconds(30), Duration.ZERO);
            f.cancel(false);
            String key = lockKey(c.clients.get(0), "cancelled");
            String fence = Internals.of(c.clients.get(0)).keys().key("cancelled", "redlock-fence");
            // the grant did land (the fencing counter exists), and was released long before its 30 s lease
            await().atMost(Duration.ofSeconds(5)).until(() -> nodes.stream().limit(3)
                    .allMatch(n -> exists(n, fence) && !exists(n, key)));
            assertTrue(f.isCancelled());
        }
    }

}
