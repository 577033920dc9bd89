package io.latchkey.semaphore;

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
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** SemaphoreOptions.replicas: WAIT after the grant, on a primary with two replicas (one paused where it must fail). */
@RedisTest(topology = RedisTest.Topology.SENTINEL)
class SemaphoreReplicationTest {

    private static final Duration WAIT = Duration.ofMillis(300);

    @Test
    void aPermitConfirmedByBothReplicasSaysSoAndIsOnThem(EmbeddedRedisSentinel sentinel, Latchkey latchkey) {
        DistributedSemaphore s = Semaphores.of(latchkey).semaphore("uploads", 2,
                SemaphoreOptions.builder().replicas(2, WAIT).build());
        Permit permit = s.tryAcquire(Duration.ofSeconds(10)).orElseThrow();
        assertEquals(Replication.of(2, 2, false), permit.replication());
        String key = Internals.of(latchkey).keys().key("uploads", "permits");
        for (EmbeddedRedis replica : sentinel.replicas()) {
            assertEquals(1L, replica.command("ZCARD", key), replica.toString());
        }
        permit.release();
    }

    @Test
    void withAReplicaPausedThePermitIsRefusedAndReturnedOrAcceptedSayingSo(EmbeddedRedisSentinel sentinel,
                                                                           Latchkey latchkey) {
        DistributedSemaphore refusing = Semaphores.of(latchkey).semaphore("refusing", 1,
                SemaphoreOptions.builder().replicas(2, WAIT).build());
        DistributedSemaphore accepting = Semaphores.of(latchkey).semaphore("accepting", 1,
                SemaphoreOptions.builder().replicas(2, WAIT).onUnreplicated(UnreplicatedGrant.ACCEPT).build());
        sentinel.replicas().get(0).pause();
        LatchkeyUnavailableException e = assertThrows(LatchkeyUnavailableException.class,
                () -> refusing.tryAcquire(Duration.ofSeconds(10)));
        assertTrue(e.getMessage().contains("reached 1 of 2 replicas"), e.getMessage());
        await().atMost(Duration.ofSeconds(5)).until(() -> refusing.availablePermits() == 1); // given back
        Permit permit = accepting.tryAcquire(Duration.ofSeconds(10)).orElseThrow();
        assertFalse(permit.replication().reached());
        assertEquals(1, permit.replication().acknowledged());
        assertEquals(0, accepting.availablePermits());
        permit.release();
    }

    @Test
    void badOptionsAreRejected(Latchkey latchkey) {
        assertThrows(IllegalArgumentException.class, () -> SemaphoreOptions.builder().replicas(-1, WAIT));
        assertThrows(NullPointerException.class, () -> SemaphoreOptions.builder().replicas(1, null));
        assertThrows(NullPointerException.class, () -> SemaphoreOptions.builder().onUnreplicated(null));
        SemaphoreOptions tooLong = SemaphoreOptions.builder().replicas(1, latchkey.commandTimeout()).build();
        assertThrows(IllegalArgumentException.class, () -> Semaphores.of(latchkey).semaphore("bad", 1, tooLong));
        assertFalse(Semaphores.of(latchkey).semaphore("off", 1).tryAcquire(Duration.ofSeconds(1)).orElseThrow()
                .replication().isRequested());
    }
}
