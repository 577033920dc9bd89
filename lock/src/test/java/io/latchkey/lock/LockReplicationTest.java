package io.latchkey.lock;

import static org.awaitility.Awaitility.await;
import io.latchkey.core.spi.Internals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.Latchkey;
import io.latchkey.core.LatchkeyUnavailableException;
import io.latchkey.core.Replication;
import io.latchkey.core.UnreplicatedGrant;
import io.latchkey.testing.EmbeddedRedis;
import io.latchkey.testing.EmbeddedRedisSentinel;
import io.latchkey.testing.RedisTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** LockOptions.replicas: WAIT after the grant, on a primary with two replicas (one paused where it must fail). */
@RedisTest(topology = RedisTest.Topology.SENTINEL)
class LockReplicationTest {

    private static final Duration WAIT = Duration.ofMillis(300);

    @Test
    void aGrantConfirmedByBothReplicasSaysSoAndIsOnThemWhenHandedOut(EmbeddedRedisSentinel sentinel, Latchkey latchkey) {
        DistributedLock lock = Locks.of(latchkey).lock("replicated:both", LockOptions.builder().replicas(2, WAIT).build());
        LockLease lease = lock.tryAcquire(Duration.ofSeconds(10)).orElseThrow();
        assertEquals(Replication.of(2, 2, false), lease.replication());
        assertTrue(lease.replication().reached());
        String key = Internals.of(latchkey).keys().key("replicated:both", "lock");
        for (EmbeddedRedis replica : sentinel.replicas()) {
            // no waiting here: WAIT returned only once both replicas had applied the grant
            assertEquals(lease.id(), replica.command("HGET", key, "owner"), replica.toString());
        }
        lease.release();
    }

    @Test
    void withOneReplicaPausedAGrantAskingForTwoIsReleasedAndRefused(EmbeddedRedisSentinel sentinel) {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (Latchkey latchkey = Latchkey.builder().uri(sentinel.sentinelUri()).meterRegistry(meters).build()) {
            DistributedLock lock = Locks.of(latchkey).lock("replicated:refused",
                    LockOptions.builder().replicas(2, WAIT).build());
            sentinel.replicas().get(0).pause();
            LatchkeyUnavailableException refused = assertThrows(LatchkeyUnavailableException.class,
                    () -> lock.tryAcquire(Duration.ofSeconds(10)));
            assertTrue(refused.getMessage().contains("reached 1 of 2 replicas"), refused.getMessage());
            await().atMost(Duration.ofSeconds(5)).until(() -> !lock.isLocked()); // released in the background
            assertEquals(1.0, meters.counter("latchkey.lock.unreplicated", "name", "replicated").count());
            // one confirmation is all the healthy replica can give, and enough when that is what is asked for
            DistributedLock one = Locks.of(latchkey).lock("replicated:one", LockOptions.builder().replicas(1, WAIT).build());
            LockLease lease = one.tryAcquire(Duration.ofSeconds(10)).orElseThrow();
            assertEquals(Replication.of(1, 1, false), lease.replication());
            lease.release();
        }
    }

    @Test
    void acceptHandsOutTheUnreplicatedGrantSayingSo(EmbeddedRedisSentinel sentinel, Latchkey latchkey) {
        DistributedLock lock = Locks.of(latchkey).lock("replicated:accepted",
                LockOptions.builder().replicas(2, WAIT).onUnreplicated(UnreplicatedGrant.ACCEPT).build());
        sentinel.replicas().get(1).pause();
        LockLease lease = lock.tryAcquire(Duration.ofSeconds(10)).orElseThrow();
        assertFalse(lease.replication().reached());
        assertEquals(1, lease.replication().acknowledged());
        assertTrue(lease.isValid());
        assertTrue(lock.isLocked());
        lease.release();
    }

    @Test
    void aWaiterHandedTheLockWaitsForItsGrantToo(Latchkey latchkey) throws Exception {
        DistributedLock lock = Locks.of(latchkey).lock("replicated:handover", LockOptions.builder().replicas(2, WAIT).build());
        LockLease first = lock.tryAcquire(Duration.ofSeconds(10)).orElseThrow();
        var waiter = lock.tryAcquireAsync(Duration.ofSeconds(10), Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(5)).until(() -> lock.holder().isPresent() && !waiter.isDone());
        first.release();
        LockLease second = waiter.get().orElseThrow();
        assertEquals(Replication.of(2, 2, false), second.replication());
        second.release();
    }

    @Test
    void withoutTheOptionNothingIsAskedAndBadOptionsAreRejected(Latchkey latchkey) {
        LockLease lease = Locks.of(latchkey).lock("replicated:off").tryAcquire(Duration.ofSeconds(5)).orElseThrow();
        assertFalse(lease.replication().isRequested());
        assertTrue(lease.replication().reached());
        lease.release();
        assertThrows(IllegalArgumentException.class, () -> LockOptions.builder().replicas(-1, WAIT));
        assertThrows(NullPointerException.class, () -> LockOptions.builder().replicas(1, null));
        assertThrows(IllegalArgumentException.class, () -> LockOptions.builder().replicas(1, Duration.ZERO));
        assertThrows(NullPointerException.class, () -> LockOptions.builder().onUnreplicated(null));
        LockOptions tooLong = LockOptions.builder().replicas(1, latchkey.commandTimeout()).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Locks.of(latchkey).lock("replicated:bad", tooLong));
        assertTrue(e.getMessage().contains("commandTimeout"), e.getMessage());
        assertEquals(0, LockOptions.builder().replicas(1, WAIT).replicas(0, Duration.ZERO).build().replicas());
    }
}
