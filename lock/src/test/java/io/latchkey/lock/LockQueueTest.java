package io.latchkey.lock;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.Latchkey;
import io.latchkey.core.ReleaseResult;
import io.latchkey.testing.EmbeddedRedis;
import io.latchkey.testing.RedisTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The single-instance lock's waiter queue (lock-queue.lua): whoever frees the lock hands it to the first live waiter
 * in the same script and publishes "{@code <owner> <token>}"; waiters are served in arrival order; a waiter that gave
 * up or died is skipped. Real redis-server; every queue state is read back with raw commands.
 */
@RedisTest
class LockQueueTest {

    private static final Duration LONG = Duration.ofSeconds(30);
    private static final Duration PATIENCE = Duration.ofSeconds(5);
    // A waiter's timer re-check is a minute away (its hint is the 30 s holder lease): only a hand-over (message,
    // or the reply of the attempt right after subscribing) can end its wait within the test's patience.
    private static final LockOptions NO_TIMER = LockOptions.builder().maxRecheck(Duration.ofSeconds(60)).build();
    // Re-checks every ~200 ms; queue entries live 2 × 200 ms + 1 s after the latest attempt.
    private static final LockOptions FAST_RECHECK = LockOptions.builder().maxRecheck(Duration.ofMillis(200)).build();
    private static final long FAST_GRACE_MS = 2 * 200 + 1_000;

    private EmbeddedRedis redis;
    private Latchkey latchkey;
    private Locks locks;
    private String name;

    /** A waiter in flight: its owner id as queued in Redis and the caller's future. */
    private record Waiter(String owner, CompletableFuture<Optional<LockLease>> future) {
        LockLease lease() throws Exception {
            return future.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS).orElseThrow();
        }
    }

    @BeforeEach
    void setUp(EmbeddedRedis redis, Latchkey latchkey, TestInfo info) {
        this.redis = redis;
        this.latchkey = latchkey;
        this.locks = Locks.of(latchkey);
        name = "queue:" + info.getTestMethod().orElseThrow().getName();
    }

    // --- FIFO hand-over

    @Test
    void releasesHandTheLockToWaitersInArrivalOrderWithIncreasingTokens() throws Exception {
        DistributedLock lock = locks.lock(name, NO_TIMER);
        LockLease previous = lock.tryAcquire(LONG).orElseThrow();
        List<Waiter> waiters = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            waiters.add(queue(() -> lock.tryAcquireAsync(LONG, Duration.ofSeconds(20))));
        }
        assertEquals(waiters.stream().map(Waiter::owner).toList(), queueList(), "queued in arrival order");

        for (int i = 0; i < waiters.size(); i++) {
            Waiter w = waiters.get(i);
            assertEquals(ReleaseResult.RELEASED, previous.release());
            // the release script itself made w the holder, before w saw anything
            LockHolder holder = lock.holder().orElseThrow();
            assertEquals(w.owner(), holder.ownerId(), "waiter " + i + " is the holder right after the release");
            LockLease lease = w.lease();
            assertEquals(w.owner(), lease.id());
            assertEquals(holder.fencingToken(), lease.fencingToken(), "the token of the hand-over");
            assertTrue(lease.fencingToken() > previous.fencingToken(), "tokens strictly increase");
            assertTrue(lease.isValid());
            for (Waiter later : waiters.subList(i + 1, waiters.size())) {
                assertFalse(later.future().isDone(), "a later waiter is still waiting");
            }
            assertFalse(waiting(w.owner()), "a served waiter left the queue");
            previous = lease;
        }
        assertEquals(ReleaseResult.RELEASED, previous.release());
        assertFalse(lock.isLocked(), "nobody left to hand it to");
        assertEquals(0L, hlen());
    }

    @Test
    void waitersOfDifferentClientsAreServedInArrivalOrder() throws Exception {
        try (Latchkey other = Latchkey.connect(redis.uri())) {
            DistributedLock here = locks.lock(name, NO_TIMER);
            DistributedLock there = Locks.of(other).lock(name, NO_TIMER);
            LockLease previous = here.tryAcquire(LONG).orElseThrow();
            List<Waiter> waiters = List.of(
                    queue(() -> there.tryAcquireAsync(LONG, Duration.ofSeconds(20))),
                    queue(() -> here.tryAcquireAsync(LONG, Duration.ofSeconds(20))),
                    queue(() -> there.tryAcquireAsync(LONG, Duration.ofSeconds(20))));
            for (Waiter w : waiters) {
                assertEquals(ReleaseResult.RELEASED, previous.release());
                LockLease lease = w.lease();
                assertEquals(w.owner(), lease.id());
                assertTrue(lease.fencingToken() > previous.fencingToken());
                previous = lease;
            }
            previous.release();
            assertFalse(here.isLocked());
        }
    }

    @Test
    void aHandOverGrantsTheWaitersOwnLeaseTime() throws Exception {
        DistributedLock lock = locks.lock(name, NO_TIMER);
        LockLease held = lock.tryAcquire(LONG).orElseThrow();
        Waiter w = queue(() -> lock.tryAcquireAsync(Duration.ofSeconds(3), Duration.ofSeconds(20)));
        held.release();
        Duration remaining = lock.holder().orElseThrow().remaining();
        assertTrue(remaining.compareTo(Duration.ZERO) > 0 && remaining.compareTo(Duration.ofSeconds(3)) <= 0,
                "the waiter's 3 s lease, not the releaser's 30 s: " + remaining);
        LockLease lease = w.lease();
        assertTrue(lease.remaining().compareTo(Duration.ofSeconds(3)) < 0, lease.remaining().toString());
        assertTrue(lease.isValid());
        lease.release();
    }

    @Test
    void aHandOverLongAfterTheWaitersLastAttemptIsConfirmedWithRedisBeforeDelivery() throws Exception {
        DistributedLock lock = locks.lock(name, NO_TIMER);
        LockLease held = lock.tryAcquire(LONG).orElseThrow();
        Waiter w = queue(() -> lock.tryAcquireAsync(Duration.ofSeconds(1), Duration.ofSeconds(20)));
        await().atMost(PATIENCE).until(() -> subscribers() >= 1);
        // more than its whole lease passes since its last attempt: the message alone cannot say how much is left
        // (counting from that attempt the lease would be over), so it asks Redis and counts from that request
        await().pollDelay(Duration.ofMillis(1_300)).atMost(Duration.ofSeconds(3)).until(() -> true);
        held.release();
        LockLease lease = w.lease();
        assertTrue(lease.isValid(), "a fresh 1 s lease, not one born expired");
        assertTrue(lease.remaining().toMillis() > 500, lease.remaining().toString());
        assertEquals(lock.holder().orElseThrow().fencingToken(), lease.fencingToken());
        lease.release();
    }

    @Test
    void oneReleaseWakesExactlyOneWaiter() throws Exception {
        DistributedLock lock = locks.lock(name, NO_TIMER);
        LockLease held = lock.tryAcquire(LONG).orElseThrow();
        List<Waiter> waiters = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            waiters.add(queue(() -> lock.tryAcquireAsync(LONG, Duration.ofSeconds(20))));
        }
        await().atMost(PATIENCE).until(() -> subscribers() >= 1); // listening: a herd would be woken now
        // the waiters' own attempts are over (their timers are 30 s away)
        AtomicReference<Long> quiet = new AtomicReference<>(-1L);
        await().during(Duration.ofMillis(200)).atMost(PATIENCE)
                .until(() -> quiet.getAndSet(redis.commandCalls("evalsha")) == redis.commandCalls("evalsha"));
        long publishes = redis.commandCalls("publish");
        long scripts = redis.commandCalls("evalsha");
        held.release();
        await().atMost(PATIENCE).until(() -> done(waiters) >= 1);
        // and no other waiter gets anything afterwards
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> done(waiters) == 1);
        assertTrue(waiters.get(0).future().isDone(), "the first to arrive");
        assertEquals(publishes + 1, redis.commandCalls("publish"), "one message per release");
        assertEquals(scripts + 1, redis.commandCalls("evalsha"),
                "the release script alone: neither the woken waiter nor the others made a round trip");
        assertEquals(3L, hlen(), "the others still queued");
        waiters.get(0).lease().release();
        await().atMost(PATIENCE).until(() -> done(waiters) == 2);
        assertTrue(waiters.get(1).future().isDone());
        for (Waiter w : waiters) {
            w.future().cancel(false);
        }
        lock.forceRelease();
    }

    // --- waiters that gave up

    @Test
    void aWaiterWhoseMaxWaitEndedLeavesTheQueueAndIsSkipped() throws Exception {
        DistributedLock lock = locks.lock(name, NO_TIMER);
        LockLease held = lock.tryAcquire(LONG).orElseThrow();
        Waiter quitter = queue(() -> lock.tryAcquireAsync(LONG, Duration.ofMillis(400)));
        Waiter next = queue(() -> lock.tryAcquireAsync(LONG, Duration.ofSeconds(20)));
        assertEquals(Optional.empty(), quitter.future().get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS));
        await().atMost(PATIENCE).until(() -> !waiting(quitter.owner()));
        assertEquals(ReleaseResult.RELEASED, held.release());
        assertEquals(next.owner(), lock.holder().orElseThrow().ownerId(), "handed past the waiter that gave up");
        assertTrue(next.lease().fencingToken() > held.fencingToken());
        next.lease().release();
    }

    @Test
    void aCancelledWaiterLeavesTheQueueAndIsSkipped() throws Exception {
        DistributedLock lock = locks.lock(name, NO_TIMER);
        LockLease held = lock.tryAcquire(LONG).orElseThrow();
        Waiter quitter = queue(() -> lock.tryAcquireAsync(LONG, Duration.ofSeconds(20)));
        Waiter next = queue(() -> lock.tryAcquireAsync(LONG, Duration.ofSeconds(20)));
        assertTrue(quitter.future().cancel(false));
        await().atMost(PATIENCE).until(() -> !waiting(quitter.owner()));
        assertEquals(ReleaseResult.RELEASED, held.release());
        assertEquals(next.owner(), lock.holder().orElseThrow().ownerId());
        assertEquals(next.owner(), next.lease().id());
        next.lease().release();
        assertFalse(lock.isLocked());
    }

    @Test
    void anInterruptedSyncWaiterLeavesTheQueueAndIsSkipped() throws Exception {
        DistributedLock lock = locks.lock(name, NO_TIMER);
        LockLease held = lock.tryAcquire(LONG).orElseThrow();
        AtomicReference<Object> outcome = new AtomicReference<>();
        CountDownLatch ended = new CountDownLatch(1);
        Thread thread = new Thread(() -> {
            try {
                outcome.set(lock.tryAcquire(LONG, Duration.ofSeconds(60)));
            } catch (Throwable t) {
                outcome.set(t);
            } finally {
                ended.countDown();
            }
        });
        Waiter quitter = queue(() -> {
            thread.start();
            return new CompletableFuture<>();
        });
        Waiter next = queue(() -> lock.tryAcquireAsync(LONG, Duration.ofSeconds(20)));
        thread.interrupt();
        assertTrue(ended.await(5, TimeUnit.SECONDS));
        assertTrue(outcome.get() instanceof InterruptedException, String.valueOf(outcome.get()));
        await().atMost(PATIENCE).until(() -> !waiting(quitter.owner()));
        assertEquals(ReleaseResult.RELEASED, held.release());
        assertEquals(next.owner(), lock.holder().orElseThrow().ownerId());
        next.lease().release();
        assertFalse(lock.isLocked());
    }

    @Test
    void aWaiterCancelledAfterTheLockWasHandedToItHandsItOn() throws Exception {
        DistributedLock lock = locks.lock(name, NO_TIMER);
        LockLease held = lock.tryAcquire(LONG).orElseThrow();
        Waiter first = queue(() -> lock.tryAcquireAsync(LONG, Duration.ofSeconds(20)));
        Waiter second = queue(() -> lock.tryAcquireAsync(LONG, Duration.ofSeconds(20)));
        long token = silentHandOver(first.owner(), held.fencingToken());
        assertFalse(first.future().isDone(), "it has not seen the hand-over (no message, re-check far away)");
        assertTrue(first.future().cancel(false));
        // its owner-checked leave-the-queue release frees the lock it never saw, and hands it on
        LockLease lease = second.lease();
        assertEquals(second.owner(), lease.id());
        assertTrue(lease.fencingToken() > token);
        assertEquals(second.owner(), lock.holder().orElseThrow().ownerId());
        assertEquals(ReleaseResult.TAKEN_OVER, held.release());
        lease.release();
        assertFalse(lock.isLocked());
    }

    // --- dead waiters

    @Test
    void aDeadQueueEntryIsSkippedAndDropped() throws Exception {
        DistributedLock lock = locks.lock(name, NO_TIMER);
        LockLease held = lock.tryAcquire(LONG).orElseThrow();
        long now = redisNowMs();
        // a waiter that crashed: still first in the list, its entry's life ended a second ago
        redis.command("RPUSH", key("queue"), "ghost");
        redis.command("HSET", key("waiters"), "ghost", LONG.toMillis() + " " + (now - 1_000));
        redis.command("PEXPIRE", key("queue"), "10000");
        redis.command("PEXPIRE", key("waiters"), "10000");
        Waiter live = queue(() -> lock.tryAcquireAsync(LONG, Duration.ofSeconds(20)));
        assertEquals(List.of("ghost", live.owner()), queueList());

        assertEquals(ReleaseResult.RELEASED, held.release());
        assertEquals(live.owner(), lock.holder().orElseThrow().ownerId(), "no lease for the dead waiter");
        assertEquals(live.owner(), live.lease().id());
        assertEquals(0L, redis.command("EXISTS", key("queue")), "the dead entry was dropped with the live one");
        assertEquals(0L, redis.command("EXISTS", key("waiters")));
        live.lease().release();
    }

    @Test
    void aWaiterWhoseClientWasClosedIsSkippedOnceItsEntryDies() throws Exception {
        DistributedLock lock = locks.lock(name, NO_TIMER);
        LockLease held = lock.tryAcquire(LONG).orElseThrow();
        Waiter dead;
        try (Latchkey other = Latchkey.connect(redis.uri())) {
            DistributedLock elsewhere = Locks.of(other).lock(name, FAST_RECHECK);
            dead = queue(() -> elsewhere.tryAcquireAsync(LONG, Duration.ofSeconds(30)));
        }
        Waiter live = queue(() -> lock.tryAcquireAsync(LONG, Duration.ofSeconds(20)));
        // the closed client cannot refresh its entry: it dies at most ~1.4 s after its latest attempt
        await().atMost(PATIENCE).until(() -> !alive(dead.owner()));
        assertEquals(ReleaseResult.RELEASED, held.release());
        assertEquals(live.owner(), lock.holder().orElseThrow().ownerId(), "no lease for the closed client");
        assertEquals(live.owner(), live.lease().id());
        assertFalse(waiting(dead.owner()));
        live.lease().release();
    }

    // --- expiry

    @Test
    void aHolderThatNeverReleasesIsSucceededByTheQueuedWaiter() throws Exception {
        DistributedLock lock = locks.lock(name, FAST_RECHECK);
        LockLease crashed = lock.tryAcquire(Duration.ofMillis(300)).orElseThrow();
        Waiter w = queue(() -> lock.tryAcquireAsync(LONG, Duration.ofSeconds(10)));
        LockLease lease = w.lease();
        assertEquals(w.owner(), lease.id());
        assertTrue(lease.fencingToken() > crashed.fencingToken());
        assertEquals(w.owner(), lock.holder().orElseThrow().ownerId());
        assertFalse(crashed.isValid());
        assertEquals(ReleaseResult.TAKEN_OVER, crashed.release(), "the late release leaves the successor alone");
        assertEquals(w.owner(), lock.holder().orElseThrow().ownerId());
        lease.release();
    }

    @Test
    void anAcquireAfterExpiryGrantsTheHeadOfTheQueueNotTheCaller() throws Exception {
        DistributedLock lock = locks.lock(name, NO_TIMER);
        LockLease crashed = lock.tryAcquire(LONG).orElseThrow();
        Waiter w = queue(() -> lock.tryAcquireAsync(LONG, Duration.ofSeconds(20)));
        await().atMost(PATIENCE).until(() -> subscribers() >= 1);
        // the holder's lease runs out now; the waiter's own re-check is 30 s away
        redis.command("PEXPIRE", key("lock"), "1");
        await().atMost(PATIENCE).until(() -> (Long) redis.command("EXISTS", key("lock")) == 0L);

        // Observed and asserted: a third party's non-waiting acquire on the freed lock does not barge in; its
        // script grants the lock to the live head of the queue (and publishes it), and refuses the caller.
        assertEquals(Optional.empty(), lock.tryAcquire(LONG));
        assertEquals(w.owner(), lock.holder().orElseThrow().ownerId());
        LockLease lease = w.lease(); // woken by that message
        assertTrue(lease.fencingToken() > crashed.fencingToken());
        assertEquals(lock.holder().orElseThrow().fencingToken(), lease.fencingToken());

        // a waiting third party queues behind and is served next
        Waiter third = queue(() -> lock.tryAcquireAsync(LONG, Duration.ofSeconds(20)));
        lease.release();
        assertEquals(third.owner(), third.lease().id());
        assertTrue(third.lease().fencingToken() > lease.fencingToken());
        third.lease().release();
    }

    @Test
    void aReleaseOfAnExpiredLeaseHandsTheLockToTheQueue() throws Exception {
        DistributedLock lock = locks.lock(name, NO_TIMER);
        LockLease crashed = lock.tryAcquire(LONG).orElseThrow();
        Waiter w = queue(() -> lock.tryAcquireAsync(LONG, Duration.ofSeconds(20)));
        redis.command("PEXPIRE", key("lock"), "1");
        await().atMost(PATIENCE).until(() -> (Long) redis.command("EXISTS", key("lock")) == 0L);
        assertEquals(ReleaseResult.ALREADY_GONE, crashed.release());
        assertEquals(w.owner(), lock.holder().orElseThrow().ownerId(), "the late release still hands it over");
        assertTrue(w.lease().fencingToken() > crashed.fencingToken());
        w.lease().release();
    }

    // --- force-release

    @Test
    void forceReleaseHandsTheLockToTheFirstWaiter() throws Exception {
        DistributedLock lock = locks.lock(name, NO_TIMER);
        LockLease held = lock.tryAcquire(LONG).orElseThrow();
        Waiter first = queue(() -> lock.tryAcquireAsync(LONG, Duration.ofSeconds(20)));
        Waiter second = queue(() -> lock.tryAcquireAsync(LONG, Duration.ofSeconds(20)));
        assertTrue(locks.lock(name).forceRelease());
        LockHolder holder = lock.holder().orElseThrow();
        assertEquals(first.owner(), holder.ownerId());
        LockLease lease = first.lease();
        assertEquals(holder.fencingToken(), lease.fencingToken());
        assertTrue(lease.fencingToken() > held.fencingToken());
        assertFalse(second.future().isDone());
        assertEquals(ReleaseResult.TAKEN_OVER, held.release());
        assertEquals(first.owner(), lock.holder().orElseThrow().ownerId());
        lease.release();
        assertEquals(second.owner(), second.lease().id());
        second.lease().release();
    }

    // --- lost hand-over message

    @Test
    void aWaiterThatMissedItsHandOverMessageAcquiresOnItsRecheck() throws Exception {
        DistributedLock lock = locks.lock(name, FAST_RECHECK);
        LockLease held = lock.tryAcquire(LONG).orElseThrow();
        Waiter w = queue(() -> lock.tryAcquireAsync(LONG, Duration.ofSeconds(20)));
        long publishes = redis.commandCalls("publish");
        long token = silentHandOver(w.owner(), held.fencingToken());
        LockLease lease = w.lease(); // its ~200 ms re-check answers "you hold it" (the replay path)
        assertEquals(w.owner(), lease.id());
        assertEquals(token, lease.fencingToken(), "the token of the hand-over, not a new one");
        assertTrue(lease.isValid());
        assertEquals(publishes, redis.commandCalls("publish"), "no message was ever sent");
        assertEquals(String.valueOf(token), redis.command("GET", key("fence")), "no new token issued");
        assertEquals(ReleaseResult.TAKEN_OVER, held.release());
        assertEquals(ReleaseResult.RELEASED, lease.release());
        assertFalse(lock.isLocked());
    }

    // --- release re-sent

    @Test
    void aReSentReleaseAfterAHandOverStillAnswersReleased() throws Exception {
        DistributedLock lock = locks.lock(name, NO_TIMER);
        LockLease held = lock.tryAcquire(LONG).orElseThrow();
        Waiter w = queue(() -> lock.tryAcquireAsync(LONG, Duration.ofSeconds(20)));
        RedisLock raw = (RedisLock) lock;
        assertEquals(ReleaseResult.RELEASED, raw.releaseScript(held.id()).get(5, TimeUnit.SECONDS));
        LockHolder after = lock.holder().orElseThrow();
        assertEquals(w.owner(), after.ownerId());
        assertEquals(ReleaseResult.RELEASED, raw.releaseScript(held.id()).get(5, TimeUnit.SECONDS),
                "the re-sent release answers like the first");
        LockHolder still = lock.holder().orElseThrow();
        assertEquals(after.ownerId(), still.ownerId(), "and leaves the new holder alone");
        assertEquals(after.fencingToken(), still.fencingToken());
        LockLease lease = w.lease();
        assertEquals(after.fencingToken(), lease.fencingToken());
        assertTrue(lease.isValid());
        assertEquals(ReleaseResult.RELEASED, lease.release());
        assertFalse(lock.isLocked());
    }

    @Test
    void aReSentReleaseOfAValidLeaseReadsGoneOrTakenOverAsReleased() {
        // core re-sends a release whose reply was lost; meanwhile the lock may have moved on through any number of
        // hand-overs (LockFaultTest shows it end to end through the fault proxy)
        assertEquals(ReleaseResult.RELEASED, RedisLock.releaseResult(2, true));
        assertEquals(ReleaseResult.RELEASED, RedisLock.releaseResult(0, true));
        assertEquals(ReleaseResult.RELEASED, RedisLock.releaseResult(1, false));
        assertEquals(ReleaseResult.TAKEN_OVER, RedisLock.releaseResult(2, false));
        assertEquals(ReleaseResult.ALREADY_GONE, RedisLock.releaseResult(0, false));
    }

    // --- TTLs

    @Test
    void queueKeysAlwaysCarryATtlAndVanishAfterTheWaitersLeave() throws Exception {
        DistributedLock lock = locks.lock(name, FAST_RECHECK);
        LockLease held = lock.tryAcquire(LONG).orElseThrow();
        List<Waiter> waiters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            waiters.add(queue(() -> lock.tryAcquireAsync(LONG, Duration.ofSeconds(20))));
        }
        @SuppressWarnings("unchecked")
        List<String> keys = (List<String>) redis.command("KEYS", latchkey.namespace() + ":{" + name + "}:*");
        assertEquals(Set.of(key("lock"), key("fence"), key("queue"), key("waiters")), new HashSet<>(keys));
        for (String k : keys) {
            long ttl = (Long) redis.command("PTTL", k);
            assertTrue(ttl > 0 || ttl == -2, k + " PTTL " + ttl);
        }
        for (String k : List.of(key("queue"), key("waiters"))) {
            long ttl = (Long) redis.command("PTTL", k);
            assertTrue(ttl <= FAST_GRACE_MS, k + " lives no longer than the waiters' grace: " + ttl);
        }
        for (Waiter w : waiters) {
            w.future().cancel(false);
        }
        await().atMost(PATIENCE).until(() -> hlen() == 0L);
        // the list entries of waiters that left stay until skipped, or until the key's TTL ends them
        await().atMost(PATIENCE).until(() -> (Long) redis.command("EXISTS", key("queue"), key("waiters")) == 0L);
        assertEquals(ReleaseResult.RELEASED, held.release());
        assertFalse(lock.isLocked(), "nobody was handed the lock");
        @SuppressWarnings("unchecked")
        List<String> all = (List<String>) redis.command("KEYS", "*");
        for (String k : all) {
            assertNotEquals(-1L, redis.command("PTTL", k), k + " has no TTL");
        }
    }

    // --- load

    private int counter; // deliberately plain: only the lock makes the read-modify-write safe

    @Test
    void eightThreadsShareTheLockExactlyAndFairly() throws Exception {
        int threads = 8;
        int rounds = 50;
        DistributedLock lock = locks.lock(name);
        List<Long> tokens = Collections.synchronizedList(new ArrayList<>());
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger inside = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                int me = t;
                results.add(pool.submit(() -> {
                    start.await();
                    int mine = 0;
                    for (int i = 0; i < rounds; i++) {
                        LockLease lease = lock.tryAcquire(Duration.ofSeconds(10), Duration.ofSeconds(30))
                                .orElseThrow(() -> new AssertionError("no lock within 30 s"));
                        if (inside.incrementAndGet() != 1) {
                            throw new AssertionError("two holders at once");
                        }
                        int seen = counter;
                        tokens.add(lease.fencingToken());
                        order.add(me);
                        Thread.yield(); // widen the race window
                        counter = seen + 1;
                        inside.decrementAndGet();
                        if (lease.release() != ReleaseResult.RELEASED) {
                            throw new AssertionError("lost the lease before releasing it");
                        }
                        mine++;
                    }
                    return mine;
                }));
            }
            start.countDown();
            for (Future<Integer> f : results) {
                assertEquals(rounds, f.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(threads * rounds, counter);
        for (int i = 1; i < tokens.size(); i++) {
            assertTrue(tokens.get(i) > tokens.get(i - 1), "token " + i + " not above the previous");
        }
        // FIFO serves the threads in turn: in the first half of the run each one got a fair share (25 expected)
        int[] share = new int[threads];
        for (int who : order.subList(0, threads * rounds / 2)) {
            share[who]++;
        }
        for (int t = 0; t < threads; t++) {
            assertTrue(share[t] >= 5, "thread " + t + " got only " + share[t] + " of the first "
                    + threads * rounds / 2 + " acquisitions: " + java.util.Arrays.toString(share));
        }
        assertFalse(lock.isLocked());
        assertEquals(0L, hlen());
    }

    // --- helpers

    /** Starts a waiter and returns once Redis has queued it (a new field in the waiters hash). */
    private Waiter queue(Supplier<CompletableFuture<Optional<LockLease>>> start) {
        Set<String> before = new HashSet<>(waiterIds());
        CompletableFuture<Optional<LockLease>> f = start.get();
        AtomicReference<String> owner = new AtomicReference<>();
        await().atMost(PATIENCE).until(() -> {
            Set<String> now = new HashSet<>(waiterIds());
            now.removeAll(before);
            if (now.size() == 1) {
                owner.set(now.iterator().next());
                return true;
            }
            assertTrue(now.isEmpty(), "one new waiter at a time: " + now);
            return false;
        });
        return new Waiter(owner.get(), f);
    }

    /**
     * Makes {@code owner} the holder the way a hand-over does, but without publishing (a lost message), and takes
     * it out of the queue. Each step is one atomic command; from the HSET on, the owner's own attempts answer "you
     * hold it" with this token. Returns the token.
     */
    private long silentHandOver(String owner, long afterToken) {
        long token = afterToken + 1_000;
        redis.command("SET", key("fence"), Long.toString(token), "PX", "60000");
        redis.command("HSET", key("lock"), "owner", owner, "token", Long.toString(token));
        redis.command("PEXPIRE", key("lock"), Long.toString(LONG.toMillis()));
        redis.command("LREM", key("queue"), "0", owner);
        redis.command("HDEL", key("waiters"), owner);
        return token;
    }

    private String key(String suffix) {
        return latchkey.namespace() + ":{" + name + "}:" + suffix;
    }

    @SuppressWarnings("unchecked")
    private List<String> waiterIds() {
        return (List<String>) redis.command("HKEYS", key("waiters"));
    }

    @SuppressWarnings("unchecked")
    private List<String> queueList() {
        return (List<String>) redis.command("LRANGE", key("queue"), "0", "-1");
    }

    private long hlen() {
        return (Long) redis.command("HLEN", key("waiters"));
    }

    private boolean waiting(String owner) {
        return (Long) redis.command("HEXISTS", key("waiters"), owner) == 1L;
    }

    /** Whether owner's queue entry exists and its life (Redis ms) has not ended. */
    private boolean alive(String owner) {
        String entry = (String) redis.command("HGET", key("waiters"), owner);
        return entry != null && Long.parseLong(entry.substring(entry.indexOf(' ') + 1)) > redisNowMs();
    }

    @SuppressWarnings("unchecked")
    private long redisNowMs() {
        List<String> t = (List<String>) redis.command("TIME");
        return Long.parseLong(t.get(0)) * 1000 + Long.parseLong(t.get(1)) / 1000;
    }

    private static long done(List<Waiter> waiters) {
        return waiters.stream().filter(w -> w.future().isDone()).count();
    }

    @SuppressWarnings("unchecked")
    private long subscribers() {
        List<Object> reply = (List<Object>) redis.command("PUBSUB", "NUMSUB", key("released"));
        return (Long) reply.get(1);
    }
}
