package io.latchkey.leases;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.Latchkey;
import io.latchkey.core.LatchkeyException;
import io.latchkey.core.Lease;
import io.latchkey.core.ReleaseResult;
import io.latchkey.lock.Locks;
import io.latchkey.semaphore.Semaphores;
import io.latchkey.testing.EmbeddedRedis;
import io.latchkey.testing.FaultProxy;
import io.latchkey.testing.RedisTest;
import java.time.Duration;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@link Lease} contract, the same assertions run on a lock lease and on a semaphore permit: identity, local
 * validity, extend, one release result, idempotent release, expiry, and a {@code close()} that never throws and keeps
 * releasing in the background after an outage.
 */
@RedisTest
class LeaseContractTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    /** How to get a lease of one kind, and whether Redis still holds it. */
    interface Kind {
        Lease acquire(Latchkey client, String name, Duration leaseTime);

        boolean heldInRedis(Latchkey observer, String name);
    }

    static Stream<Kind> kinds() {
        Kind lock = new Kind() {
            @Override
            public Lease acquire(Latchkey client, String name, Duration leaseTime) {
                return Locks.of(client).lock(name).tryAcquire(leaseTime).orElseThrow();
            }

            @Override
            public boolean heldInRedis(Latchkey observer, String name) {
                return Locks.of(observer).lock(name).isLocked();
            }

            @Override
            public String toString() {
                return "lock lease";
            }
        };
        Kind permit = new Kind() {
            @Override
            public Lease acquire(Latchkey client, String name, Duration leaseTime) {
                return Semaphores.of(client).semaphore(name, 2).tryAcquire(leaseTime).orElseThrow();
            }

            @Override
            public boolean heldInRedis(Latchkey observer, String name) {
                return Semaphores.of(observer).semaphore(name, 2).stats().holders() > 0;
            }

            @Override
            public String toString() {
                return "permit";
            }
        };
        return Stream.of(lock, permit);
    }

    private EmbeddedRedis redis;
    private Latchkey direct;

    @BeforeEach
    void connect(EmbeddedRedis redis, Latchkey direct) {
        this.redis = redis;
        this.direct = direct;
    }

    private static String name() {
        return "contract:" + UUID.randomUUID();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void aFreshLeaseKnowsItsNameAndIdAndIsValidForAtMostItsLease(Kind kind) {
        String name = name();
        Lease lease = kind.acquire(direct, name, Duration.ofSeconds(30));
        assertEquals(name, lease.name());
        assertFalse(lease.id().isBlank());
        assertTrue(lease.isValid());
        assertTrue(lease.remaining().compareTo(Duration.ZERO) > 0, lease.remaining().toString());
        assertTrue(lease.remaining().compareTo(Duration.ofSeconds(30)) < 0, "the drift margin is subtracted");
        Lease other = kind.acquire(direct, name(), Duration.ofSeconds(30));
        assertNotEquals(lease.id(), other.id());
        lease.close();
        other.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void extendMovesTheLocalDeadlineAndChecksItsArgumentFirst(Kind kind) {
        Lease lease = kind.acquire(direct, name(), Duration.ofSeconds(2));
        assertTrue(lease.extend(Duration.ofSeconds(60)));
        assertTrue(lease.remaining().compareTo(Duration.ofSeconds(30)) > 0, lease.remaining().toString());
        assertTrue(lease.extendAsync(Duration.ofSeconds(40)).join());
        assertTrue(lease.remaining().compareTo(Duration.ofSeconds(40)) <= 0, "an extension may shorten the lease");
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> lease.extend(Duration.ZERO));
        assertTrue(zero.getMessage().contains("leaseTime"), zero.getMessage());
        assertThrows(NullPointerException.class, () -> lease.extend(null));
        assertTrue(lease.isValid(), "a rejected argument changes nothing");
        lease.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void releaseAnswersOnceAndEndsTheLease(Kind kind) {
        String name = name();
        Lease lease = kind.acquire(direct, name, Duration.ofSeconds(30));
        assertTrue(kind.heldInRedis(direct, name));
        assertEquals(ReleaseResult.RELEASED, lease.release());
        assertFalse(kind.heldInRedis(direct, name));
        assertFalse(lease.isValid());
        assertEquals(Duration.ZERO, lease.remaining());
        assertEquals(ReleaseResult.RELEASED, lease.release(), "idempotent: the first call's result");
        assertEquals(ReleaseResult.RELEASED, lease.releaseAsync().join());
        assertFalse(lease.extend(Duration.ofSeconds(5)), "a released lease is never revived");
        assertDoesNotThrow(lease::close);
        assertFalse(kind.heldInRedis(direct, name));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void anExpiredLeaseReleasesAsAlreadyGone(Kind kind) {
        String name = name();
        Lease lease = kind.acquire(direct, name, Duration.ofMillis(200));
        await().atMost(PATIENCE).until(() -> !kind.heldInRedis(direct, name));
        assertFalse(lease.isValid());
        assertEquals(Duration.ZERO, lease.remaining());
        assertFalse(lease.extend(Duration.ofSeconds(5)), "an expired lease is never revived");
        assertEquals(ReleaseResult.ALREADY_GONE, lease.release());
        assertFalse(ReleaseResult.ALREADY_GONE.wasHeld());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void closeAfterAnOutageNeverThrowsAndReleasesOnceRedisIsBack(Kind kind) {
        String name = name();
        try (FaultProxy proxy = FaultProxy.start(redis);
             Latchkey viaProxy = Latchkey.builder().uri(proxy.uri()).commandTimeout(Duration.ofMillis(500)).build()) {
            Lease lease = kind.acquire(viaProxy, name, Duration.ofMinutes(5));
            proxy.mode(FaultProxy.Mode.REFUSE);
            assertThrows(LatchkeyException.class, lease::release);
            assertDoesNotThrow(lease::close);
            assertTrue(kind.heldInRedis(direct, name), "Redis never saw the release");
            proxy.mode(FaultProxy.Mode.PASS);
            // long before the five-minute lease would end
            await().atMost(PATIENCE).until(() -> !kind.heldInRedis(direct, name));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void closeNeverThrowsOnAClosedClient(Kind kind) {
        Latchkey client = Latchkey.connect(redis.uri());
        Lease lease = kind.acquire(client, name(), Duration.ofSeconds(30));
        client.close();
        assertDoesNotThrow(lease::close);
        assertDoesNotThrow(lease::close);
    }
}
