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
import io.latchkey.lock.redlock.Redlock;
import io.latchkey.semaphore.Semaphores;
import io.latchkey.testing.EmbeddedRedis;
import io.latchkey.testing.FaultProxy;
import io.latchkey.testing.RedisTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@link Lease} contract, the same assertions run on a lock lease, a Redlock lease (three "nodes": three
 * namespaces on one server) and a semaphore permit: identity, local
 * validity, extend, one release result, idempotent release, expiry, and a {@code close()} that never throws and keeps
 * releasing in the background after an outage.
 */
@RedisTest
class LeaseContractTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    /** How to get a lease of one kind through {@code clients} (one per node), and whether Redis still holds it. */
    interface Kind {
        Lease acquire(List<Latchkey> clients, String name, Duration leaseTime);

        boolean heldInRedis(List<Latchkey> observers, String name);
    }

    static Stream<Kind> kinds() {
        Kind lock = new Kind() {
            @Override
            public Lease acquire(List<Latchkey> clients, String name, Duration leaseTime) {
                return Locks.of(clients.get(0)).lock(name).tryAcquire(leaseTime).orElseThrow();
            }

            @Override
            public boolean heldInRedis(List<Latchkey> observers, String name) {
                return Locks.of(observers.get(0)).lock(name).isLocked();
            }

            @Override
            public String toString() {
                return "lock lease";
            }
        };
        Kind redlock = new Kind() {
            @Override
            public Lease acquire(List<Latchkey> clients, String name, Duration leaseTime) {
                return Redlock.of(clients).lock(name).tryAcquire(leaseTime).orElseThrow();
            }

            @Override
            public boolean heldInRedis(List<Latchkey> observers, String name) {
                return Redlock.of(observers).lock(name).isLocked();
            }

            @Override
            public String toString() {
                return "Redlock lease";
            }
        };
        Kind permit = new Kind() {
            @Override
            public Lease acquire(List<Latchkey> clients, String name, Duration leaseTime) {
                return Semaphores.of(clients.get(0)).semaphore(name, 2).tryAcquire(leaseTime).orElseThrow();
            }

            @Override
            public boolean heldInRedis(List<Latchkey> observers, String name) {
                return Semaphores.of(observers.get(0)).semaphore(name, 2).stats().holders() > 0;
            }

            @Override
            public String toString() {
                return "permit";
            }
        };
        return Stream.of(lock, redlock, permit);
    }

    private final List<Latchkey> opened = new ArrayList<>();
    private EmbeddedRedis redis;
    private List<Latchkey> direct;

    @BeforeEach
    void connect(EmbeddedRedis redis) {
        this.redis = redis;
        this.direct = clients(redis.uri(), Duration.ofSeconds(5));
    }

    @AfterEach
    void closeClients() {
        opened.forEach(Latchkey::close);
    }

    /** Three clients of {@code uri}, one namespace each: for Redlock, three independent nodes. */
    private List<Latchkey> clients(String uri, Duration commandTimeout) {
        List<Latchkey> clients = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            clients.add(Latchkey.builder().uri(uri).namespace("node" + i).commandTimeout(commandTimeout).build());
        }
        opened.addAll(clients);
        return clients;
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
        try (FaultProxy proxy = FaultProxy.start(redis)) {
            List<Latchkey> viaProxy = clients(proxy.uri(), Duration.ofMillis(500));
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
        List<Latchkey> clients = clients(redis.uri(), Duration.ofSeconds(5));
        Lease lease = kind.acquire(clients, name(), Duration.ofSeconds(30));
        clients.forEach(Latchkey::close);
        assertDoesNotThrow(lease::close);
        assertDoesNotThrow(lease::close);
    }
}
