package io.latchkey.lock;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.Latchkey;
import io.latchkey.core.LatchkeyException;
import io.latchkey.core.LeaseRequest;
import io.latchkey.core.ReleaseResult;
import io.latchkey.testing.EmbeddedRedis;
import io.latchkey.testing.FaultProxy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** Behaviour of one single-instance lock against a real redis-server. */
class LockTest {

    private static final Duration LONG = Duration.ofSeconds(30);
    // Waiters must be woken by the release message: their fallback re-check is far beyond the test's patience.
    private static final LockOptions NO_TIMER = LockOptions.builder().maxRecheck(Duration.ofSeconds(60)).build();

    private static EmbeddedRedis redis;
    private static SimpleMeterRegistry meters;
    private static Latchkey latchkey;
    private static Locks locks;
    private String name;

    @BeforeAll
    static void startRedis() {
        redis = EmbeddedRedis.start();
        meters = new SimpleMeterRegistry();
        latchkey = Latchkey.builder().uri(redis.uri()).meterRegistry(meters).build();
        locks = Locks.of(latchkey);
    }

    @AfterAll
    static void stopRedis() {
        if (latchkey != null) {
            latchkey.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @BeforeEach
    void name(TestInfo info) {
        name = info.getTestMethod().orElseThrow().getName() + ":1";
    }

    private String lockKey() {
        return latchkey.namespace() + ":{" + name + "}:lock";
    }

    private String fenceKey() {
        return latchkey.namespace() + ":{" + name + "}:fence";
    }

    @Test
    void acquireReleaseAndReacquire() {
        DistributedLock lock = locks.lock(name);
        assertFalse(lock.isLocked());
        LockLease lease = lock.tryAcquire(LONG).orElseThrow();
        assertTrue(lease.isValid());
        assertEquals(name, lease.name());
        assertTrue(lock.isLocked());
        assertTrue(lock.tryAcquire(LONG).isEmpty(), "a second owner is refused");
        LockHolder holder = lock.holder().orElseThrow();
        assertEquals(lease.id(), holder.ownerId());
        assertEquals(lease.fencingToken(), holder.fencingToken());
        assertTrue(holder.remaining().compareTo(Duration.ZERO) > 0 && holder.remaining().compareTo(LONG) <= 0);
        assertTrue(lease.remaining().compareTo(LONG) < 0, "local deadline starts before the send, minus drift");

        assertEquals(ReleaseResult.RELEASED, lease.release());
        assertEquals(ReleaseResult.RELEASED, lease.release(), "idempotent: the first result again");
        assertFalse(lease.isValid());
        assertEquals(Duration.ZERO, lease.remaining());
        assertFalse(lease.extend(LONG), "a released lease cannot be extended");
        assertFalse(lock.isLocked());
        assertTrue(lock.holder().isEmpty());

        try (LockLease next = lock.tryAcquire(LONG).orElseThrow()) {
            assertTrue(next.fencingToken() > lease.fencingToken());
        }
        assertFalse(lock.isLocked(), "close() released it");
    }

    @Test
    void keysAlwaysCarryATtl() {
        DistributedLock lock = locks.lock(name);
        LockLease lease = lock.tryAcquire(LONG).orElseThrow();
        long lockTtl = (Long) redis.command("PTTL", lockKey());
        long fenceTtl = (Long) redis.command("PTTL", fenceKey());
        assertTrue(lockTtl > 0 && lockTtl <= LONG.toMillis(), "lock PTTL " + lockTtl);
        assertTrue(fenceTtl > LONG.toMillis(), "fencing counter PTTL " + fenceTtl);
        assertTrue(lease.extend(Duration.ofSeconds(60)));
        long extended = (Long) redis.command("PTTL", lockKey());
        assertTrue(extended > LONG.toMillis() && extended <= 60_000, "extended PTTL " + extended);
        lease.release();
        assertEquals(-2L, redis.command("PTTL", lockKey()), "released: gone");
        // nothing this module wrote is left without expiry
        @SuppressWarnings("unchecked")
        List<String> all = (List<String>) redis.command("KEYS", "*");
        for (String k : all) {
            assertNotEquals(-1L, redis.command("PTTL", k), k + " has no TTL");
        }
    }

    @Test
    void expiredHolderCannotReleaseOrExtendTheNewHoldersLock() {
        DistributedLock lock = locks.lock(name);
        LockLease old = lock.tryAcquire(Duration.ofMillis(100)).orElseThrow();
        await().atMost(Duration.ofSeconds(5)).until(() -> !lock.isLocked());
        assertFalse(old.isValid(), "never valid past its local deadline");
        LockLease fresh = lock.tryAcquire(LONG).orElseThrow();
        assertTrue(fresh.fencingToken() > old.fencingToken());

        assertFalse(old.extend(LONG), "the old holder cannot extend the new holder's lock");
        assertEquals(ReleaseResult.TAKEN_OVER, old.release(), "nor release it");
        old.close();
        assertEquals(fresh.id(), lock.holder().orElseThrow().ownerId());
        assertTrue(fresh.isValid());
        assertEquals(ReleaseResult.RELEASED, fresh.release());
    }

    @Test
    void releasingAnExpiredLeaseReportsAlreadyGone() {
        DistributedLock lock = locks.lock(name);
        LockLease lease = lock.tryAcquire(Duration.ofMillis(50)).orElseThrow();
        await().atMost(Duration.ofSeconds(5)).until(() -> !lock.isLocked());
        assertEquals(ReleaseResult.ALREADY_GONE, lease.release());
        assertFalse(ReleaseResult.ALREADY_GONE.wasHeld());
        assertTrue(meters.get("latchkey.lock.leases.lost").tag("name", "releasingAnExpiredLeaseReportsAlreadyGone")
                .counter().count() >= 1);
    }

    @Test
    void extendMovesTheLocalDeadline() {
        DistributedLock lock = locks.lock(name);
        LockLease lease = lock.tryAcquire(Duration.ofMillis(500)).orElseThrow();
        assertTrue(lease.remaining().compareTo(Duration.ofMillis(500)) < 0);
        assertTrue(lease.extend(Duration.ofSeconds(20)));
        assertTrue(lease.remaining().compareTo(Duration.ofSeconds(10)) > 0);
        assertTrue(lease.extendAsync(Duration.ofSeconds(20)).join());
        lease.release();
    }

    @Test
    void tokensIncreaseEvenAfterTheCounterKeyIsLost() {
        DistributedLock lock = locks.lock(name);
        LockLease first = lock.tryAcquire(LONG).orElseThrow();
        first.release();
        assertEquals(1L, redis.command("DEL", fenceKey()));
        LockLease second = lock.tryAcquire(LONG).orElseThrow();
        assertTrue(second.fencingToken() > first.fencingToken(), second.fencingToken() + " > " + first.fencingToken());
        second.release();
        // a counter ahead of Redis time (many acquisitions in one µs, a clock step back) still wins: +1
        long ahead = second.fencingToken() + 10_000_000_000L;
        redis.command("SET", fenceKey(), Long.toString(ahead), "PX", "60000");
        LockLease third = lock.tryAcquire(LONG).orElseThrow();
        assertEquals(ahead + 1, third.fencingToken());
        third.release();
    }

    @Test
    void aReplayedAcquireScriptReturnsTheSameToken() {
        RedisLock lock = (RedisLock) locks.lock(name);
        List<Object> first = lock.acquireScript("owner-replayed", 30_000, 0).join();
        String counter = (String) redis.command("GET", fenceKey());
        List<Object> replay = lock.acquireScript("owner-replayed", 30_000, 0).join();
        assertEquals(1L, first.get(0));
        assertEquals(1L, replay.get(0), "the same owner re-sending gets success");
        assertEquals(first.get(1), replay.get(1), "with the same token");
        assertEquals(counter, redis.command("GET", fenceKey()), "and no new token was issued");
        assertEquals(0L, lock.acquireScript("someone-else", 30_000, 0).join().get(0));
        assertEquals("owner-replayed", lock.holder().orElseThrow().ownerId());
        assertTrue(lock.forceRelease());
    }

    @Test
    void forceReleaseRemovesAnyHolderAndWakesWaiters() throws Exception {
        DistributedLock lock = locks.lock(name, NO_TIMER);
        LockLease held = lock.tryAcquire(LONG).orElseThrow();
        CompletableFuture<Optional<LockLease>> waiter = lock.tryAcquireAsync(LONG, Duration.ofSeconds(20));
        await().atMost(Duration.ofSeconds(5)).until(() -> waiterSubscribed());
        assertTrue(locks.lock(name).forceRelease());
        LockLease next = waiter.get(5, TimeUnit.SECONDS).orElseThrow();
        assertEquals(ReleaseResult.TAKEN_OVER, held.release());
        assertFalse(held.extend(LONG));
        next.release();
        assertFalse(lock.forceRelease(), "nothing to remove");
    }

    @Test
    void aWaiterIsWokenByTheReleaseMessage() throws Exception {
        DistributedLock lock = locks.lock(name, NO_TIMER);
        LockLease held = lock.tryAcquire(LONG).orElseThrow();
        CompletableFuture<Optional<LockLease>> waiter = lock.tryAcquireAsync(LONG, Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(5)).until(() -> waiterSubscribed());
        assertFalse(waiter.isDone());
        held.release();
        // its timer re-check is a minute away: only the release message can wake it this fast
        await().atMost(Duration.ofSeconds(2)).until(waiter::isDone);
        LockLease got = waiter.join().orElseThrow();
        assertTrue(got.fencingToken() > held.fencingToken());
        got.release();
    }

    @Test
    void aWaiterWhoseReleaseMessageIsLostAcquiresAfterTheTtl() throws Exception {
        DistributedLock lock = locks.lock(name);
        // the holder "crashes": it never releases, so no message is ever published
        LockLease crashed = lock.tryAcquire(Duration.ofMillis(400)).orElseThrow();
        Optional<LockLease> got = lock.tryAcquire(LONG, Duration.ofSeconds(10));
        assertTrue(got.isPresent(), "acquired by the fallback re-check at the holder's expiry");
        assertTrue(got.get().fencingToken() > crashed.fencingToken());
        assertFalse(crashed.isValid());
        got.get().release();
    }

    @Test
    void aWaitEndsEmptyAfterMaxWait() throws Exception {
        DistributedLock lock = locks.lock(name);
        LockLease held = lock.tryAcquire(LONG).orElseThrow();
        assertTrue(lock.tryAcquire(LONG, Duration.ofMillis(200)).isEmpty());
        assertTrue(lock.tryAcquire(LONG, Duration.ZERO).isEmpty());
        held.release();
    }

    @Test
    void interruptionEndsTheWaitAndLeavesNoLease() throws Exception {
        DistributedLock lock = locks.lock(name, NO_TIMER);
        LockLease held = lock.tryAcquire(LONG).orElseThrow();
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        Thread waiter = new Thread(() -> {
            try {
                lock.tryAcquire(LONG, Duration.ofSeconds(60));
                outcome.set(new AssertionError("returned"));
            } catch (Throwable t) {
                outcome.set(t);
            } finally {
                done.countDown();
            }
        });
        waiter.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> waiterSubscribed());
        waiter.interrupt();
        assertTrue(done.await(5, TimeUnit.SECONDS));
        assertTrue(outcome.get() instanceof InterruptedException, String.valueOf(outcome.get()));
        held.release();
        assertFalse(lock.isLocked(), "the abandoned waiter holds nothing");
        await().atMost(Duration.ofSeconds(5)).until(() -> subscribers() == 0);
    }

    @Test
    void cancellingAnAsyncWaitStopsIt() {
        DistributedLock lock = locks.lock(name, NO_TIMER);
        LockLease held = lock.tryAcquire(LONG).orElseThrow();
        CompletableFuture<Optional<LockLease>> waiter = lock.tryAcquireAsync(LONG, Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(5)).until(() -> waiterSubscribed());
        assertTrue(waiter.cancel(false));
        await().atMost(Duration.ofSeconds(5)).until(() -> subscribers() == 0);
        held.release();
        assertFalse(lock.isLocked());
    }

    @Test
    void badInputIsRejectedBeforeAnyRedisCall() {
        // a client whose every Redis call would fail: the checks must come first
        try (FaultProxy proxy = FaultProxy.start(redis);
             Latchkey dead = Latchkey.builder().uri(proxy.uri()).commandTimeout(Duration.ofMillis(300)).build()) {
            proxy.mode(FaultProxy.Mode.REFUSE);
            Locks l = Locks.of(dead);
            assertThrows(NullPointerException.class, () -> l.lock(null));
            assertThrows(IllegalArgumentException.class, () -> l.lock(" "));
            assertThrows(IllegalArgumentException.class, () -> l.lock("a{b}"));
            assertThrows(IllegalArgumentException.class, () -> l.lock("x".repeat(300)));
            assertThrows(NullPointerException.class, () -> l.lock("ok", null));
            assertThrows(NullPointerException.class, () -> Locks.of(null));
            DistributedLock lock = l.lock("ok");
            IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                    () -> lock.tryAcquire(Duration.ZERO));
            assertTrue(zero.getMessage().contains("leaseTime"), zero.getMessage());
            assertThrows(IllegalArgumentException.class, () -> lock.tryAcquire(Duration.ofSeconds(-1)));
            assertThrows(NullPointerException.class, () -> lock.tryAcquire((Duration) null));
            IllegalArgumentException negWait = assertThrows(IllegalArgumentException.class,
                    () -> lock.tryAcquire(LONG, Duration.ofMillis(-1)));
            assertTrue(negWait.getMessage().contains("maxWait"), negWait.getMessage());
            assertThrows(NullPointerException.class, () -> lock.tryAcquire(LONG, null));
            assertThrows(IllegalArgumentException.class, () -> lock.tryAcquireAsync(Duration.ZERO, Duration.ZERO));
            assertThrows(NullPointerException.class, () -> lock.tryAcquire((LeaseRequest) null));
            assertThrows(NullPointerException.class, () -> lock.tryAcquireAsync(null));
            assertThrows(IllegalArgumentException.class, () -> lock.tryAcquire(Duration.ofNanos(10)));
            FencedResource fr = l.fencedResource("res");
            assertThrows(IllegalArgumentException.class, () -> fr.write("k", "v", -1, LONG));
            assertThrows(IllegalArgumentException.class, () -> fr.write("", "v", 1, LONG));
            assertThrows(IllegalArgumentException.class, () -> fr.write("k", "v", 1, Duration.ZERO));
            assertThrows(NullPointerException.class, () -> fr.write("k", null, 1, LONG));
            // and the real call fails closed
            assertThrows(LatchkeyException.class, () -> lock.tryAcquire(LONG));
        }
    }

    @Test
    void leaseValidityNeverOutlivesItsLocalDeadline() {
        DistributedLock lock = locks.lock(name, LockOptions.builder().driftFactor(0.1)
                .driftMinimum(Duration.ofMillis(5)).build());
        LockLease lease = lock.tryAcquire(Duration.ofMillis(1000)).orElseThrow();
        // lease − (10% + 5 ms) = 895 ms from before the send, at most
        assertTrue(lease.remaining().toNanos() <= 895_000_000L, lease.remaining().toString());
        assertTrue(lease.isValid());
        await().atMost(Duration.ofSeconds(3)).until(() -> !lease.isValid());
        assertEquals(Duration.ZERO, lease.remaining());
        lease.close();
    }

    @Test
    void metricsAreTaggedByGroup() throws Exception {
        DistributedLock lock = locks.lock("metrics-order:42");
        LockLease lease = lock.tryAcquire(LONG).orElseThrow();
        assertTrue(lock.tryAcquire(LONG, Duration.ofMillis(100)).isEmpty());
        lease.release();
        assertEquals(1, meters.get("latchkey.lock.acquire").tag("name", "metrics-order")
                .tag("result", "acquired").timer().count());
        assertEquals(1, meters.get("latchkey.lock.acquire").tag("name", "metrics-order")
                .tag("result", "not_acquired").timer().count());
        assertEquals(1.0, meters.get("latchkey.lock.waits").tag("name", "metrics-order").counter().count());
        assertEquals(1, meters.get("latchkey.lock.hold").tag("name", "metrics-order").timer().count());

        DistributedLock grouped = locks.lock("metrics-tenant:7:job", LockOptions.builder().metricsGroup("jobs").build());
        grouped.tryAcquire(LONG).orElseThrow().release();
        assertEquals(1, meters.get("latchkey.lock.acquire").tag("name", "jobs").tag("result", "acquired")
                .timer().count());
        assertTrue(meters.find("latchkey.lock.acquire").tag("name", "metrics-order:42").timers().isEmpty(),
                "never the full lock name");
    }

    @Test
    void uncontendedAcquireAndReleaseAreOneScriptEach() {
        DistributedLock lock = locks.lock(name);
        lock.tryAcquire(LONG).orElseThrow().release(); // scripts cached
        long scripts = redis.commandCalls("evalsha");
        long subscribes = redis.commandCalls("subscribe");
        LockLease lease = lock.tryAcquire(LONG).orElseThrow();
        assertEquals(ReleaseResult.RELEASED, lease.release());
        assertEquals(scripts + 2, redis.commandCalls("evalsha"), "one EVALSHA to acquire, one to release");
        assertEquals(subscribes, redis.commandCalls("subscribe"), "no subscription on the uncontended path");
    }

    private boolean waiterSubscribed() {
        return subscribers() > 0;
    }

    @SuppressWarnings("unchecked")
    private long subscribers() {
        List<Object> reply = (List<Object>) redis.command("PUBSUB", "NUMSUB",
                latchkey.namespace() + ":{" + name + "}:released");
        return (Long) reply.get(1);
    }
}
