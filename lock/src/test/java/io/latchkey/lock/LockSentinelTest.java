package io.latchkey.lock;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.Latchkey;
import io.latchkey.core.LatchkeyException;
import io.latchkey.core.LatchkeyTimeoutException;
import io.latchkey.core.LatchkeyUnavailableException;
import io.latchkey.testing.EmbeddedRedis;
import io.latchkey.testing.EmbeddedRedisSentinel;
import io.latchkey.testing.RedisTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Locks on a Sentinel deployment: what a promotion does to acquires, the script cache and pub/sub waiters. */
@RedisTest(topology = RedisTest.Topology.SENTINEL)
class LockSentinelTest {

    @Test
    void acquiresDuringAKilledPrimaryFailThenTheSameClientLocksOnThePromotedReplica(EmbeddedRedisSentinel sentinel) {
        try (Latchkey latchkey = Latchkey.builder().uri(sentinel.sentinelUri())
                .commandTimeout(Duration.ofMillis(500)).build()) {
            DistributedLock lock = Locks.of(latchkey).lock("failover:kill");
            long before = lock.tryAcquire(Duration.ofSeconds(30)).orElseThrow().fencingToken();
            EmbeddedRedis killed = sentinel.killPrimary();
            List<LatchkeyException> failures = new ArrayList<>();
            AtomicReference<LockLease> after = new AtomicReference<>();
            DistributedLock fresh = Locks.of(latchkey).lock("failover:fresh");
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> {
                try {
                    Optional<LockLease> lease = fresh.tryAcquire(Duration.ofSeconds(30));
                    lease.ifPresent(after::set);
                    return lease.isPresent();
                } catch (LatchkeyException e) {
                    failures.add(e);
                    return false;
                }
            });
            assertFalse(failures.isEmpty(), "the outage was seen");
            for (LatchkeyException f : failures) {
                assertTrue(f instanceof LatchkeyUnavailableException || f instanceof LatchkeyTimeoutException,
                        "an acquire during failover fails as Unavailable or Timeout, was " + f);
            }
            assertNotSame(killed, sentinel.primary());
            assertTrue(fresh.isLocked(), "the granted lease is held on the promoted replica");
            assertTrue(after.get().fencingToken() > before, "tokens keep increasing across the promotion");
            after.get().release();
            assertFalse(fresh.isLocked());
        }
    }

    @Test
    void noscriptOnThePromotedReplicaFallsBackToEval(EmbeddedRedisSentinel sentinel, Latchkey latchkey) {
        DistributedLock lock = Locks.of(latchkey).lock("failover:scripts");
        lock.tryAcquire(Duration.ofSeconds(5)).orElseThrow().release(); // cached on the primary
        for (EmbeddedRedis replica : sentinel.replicas()) {
            // Redis 7 never propagates the script cache; make 6.2's replicas as forgetful
            replica.command("SCRIPT", "FLUSH");
            assertEquals(List.of(0L), replica.command("SCRIPT", "EXISTS", RedisLock.ACQUIRE.sha()));
        }
        EmbeddedRedis promoted = sentinel.failover();
        promoted.command("CONFIG", "RESETSTAT");
        LockLease lease = await().atMost(Duration.ofSeconds(20)).ignoreExceptionsInstanceOf(LatchkeyException.class)
                .until(() -> lock.tryAcquire(Duration.ofSeconds(5)), Optional::isPresent).orElseThrow();
        assertTrue(lease.isValid());
        assertTrue(promoted.commandCalls("eval") >= 1, "EVALSHA's NOSCRIPT was answered by EVAL on " + promoted);
        assertEquals(List.of(1L), promoted.command("SCRIPT", "EXISTS", RedisLock.ACQUIRE.sha()));
        lease.release();
    }

    @Test
    void aWaiterBlockedOnPubSubIsWokenByTheReleaseMessageAfterAFailover(EmbeddedRedisSentinel sentinel,
                                                                         Latchkey latchkey) throws Exception {
        // re-checks every 60 s at most: within the 20 s below only the release message can wake the waiter
        LockOptions slowRecheck = LockOptions.builder().maxRecheck(Duration.ofSeconds(60)).build();
        DistributedLock lock = Locks.of(latchkey).lock("failover:wait", slowRecheck);
        LockLease holder = lock.tryAcquire(Duration.ofSeconds(60)).orElseThrow();
        CompletableFuture<Optional<LockLease>> waiter = lock.tryAcquireAsync(Duration.ofSeconds(10), Duration.ofSeconds(50));
        await().atMost(Duration.ofSeconds(10)).until(() -> subscribed(sentinel.primary()));
        EmbeddedRedis promoted = sentinel.failover(); // the sentinels kill the demoted primary's pub/sub clients
        // Lettuce reconnects through the sentinels to the promoted replica and subscribes again
        await().atMost(Duration.ofSeconds(20)).until(() -> subscribed(promoted));
        assertFalse(waiter.isDone(), "still waiting: the lock was replicated to the promoted replica");
        long released = System.nanoTime();
        holder.release(); // publishes the hand-over on the promoted replica
        LockLease handedOver = waiter.get(20, TimeUnit.SECONDS).orElseThrow();
        assertTrue(System.nanoTime() - released < TimeUnit.SECONDS.toNanos(20));
        assertTrue(handedOver.isValid());
        assertTrue(handedOver.fencingToken() > holder.fencingToken());
        handedOver.release();
    }

    private static boolean subscribed(EmbeddedRedis node) {
        Object channels = node.command("PUBSUB", "CHANNELS", "*");
        return channels instanceof List && !((List<?>) channels).isEmpty();
    }
}
