package io.latchkey.lock;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.Latchkey;
import io.latchkey.core.LatchkeyException;
import io.latchkey.core.LeaseRequest;
import io.latchkey.core.ReleaseResult;
import io.latchkey.testing.EmbeddedRedis;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The opt-in watchdog: keeps a lease alive, never renews after release, reports loss. */
class LockWatchdogTest {

    // generous for a loaded 2-core machine: renewal every 200 ms
    private static final Duration LEASE = Duration.ofMillis(600);

    private static EmbeddedRedis redis;
    private static SimpleMeterRegistry meters;
    private static Latchkey latchkey;

    @BeforeAll
    static void start() {
        redis = EmbeddedRedis.start();
        meters = new SimpleMeterRegistry();
        latchkey = Latchkey.builder().uri(redis.uri()).meterRegistry(meters).commandTimeout(Duration.ofMillis(150))
                .build();
    }

    @AfterAll
    static void stop() {
        if (latchkey != null) {
            latchkey.close();
        }
        if (redis != null) {
            redis.resume();
            redis.close();
        }
    }

    @Test
    void keepsALeaseValidForFiveTimesItsLeaseTime() throws Exception {
        DistributedLock lock = Locks.of(latchkey).lock("wd-kept");
        AtomicReference<Throwable> lost = new AtomicReference<>();
        LockLease lease = lock.tryAcquire(LeaseRequest.builder(LEASE).watchdog(true)
                .onLeaseLost((n, c) -> lost.set(c)).build()).orElseThrow();
        await().during(LEASE.multipliedBy(5)).atMost(LEASE.multipliedBy(8))
                .until(() -> lease.isValid() && lock.isLocked());
        assertNull(lost.get());
        assertTrue(Locks.of(latchkey).lock("wd-kept").tryAcquire(LEASE).isEmpty(), "still held in Redis");
        assertEquals(lease.id(), lock.holder().orElseThrow().ownerId());
        assertEquals(ReleaseResult.RELEASED, lease.release());
        assertNull(lost.get(), "a release is not a loss");
    }

    @Test
    void noRenewalIsSentAfterRelease() throws Exception {
        String key = latchkey.namespace() + ":{wd-released}:lock";
        DistributedLock lock = Locks.of(latchkey).lock("wd-released");
        for (int i = 0; i < 20; i++) {
            // short leases renew often, so release regularly meets a renewal in flight
            LockLease lease = lock.tryAcquire(LeaseRequest.builder(Duration.ofMillis(30)).watchdog(true).build())
                    .orElseThrow();
            assertEquals(ReleaseResult.RELEASED, lease.release());
            assertEquals(0L, redis.command("EXISTS", key), "nothing renewed or re-created the lock");
        }
        LockLease lease = lock.tryAcquire(LeaseRequest.builder(LEASE).watchdog(true).build()).orElseThrow();
        long afterAcquire = redis.commandCalls("evalsha");
        // the watchdog renewed at least once (only this client sends scripts to this node)
        await().atMost(Duration.ofSeconds(3)).until(() -> redis.commandCalls("evalsha") > afterAcquire);
        assertTrue(lease.isValid());
        lease.release();
        long scripts = redis.commandCalls("evalsha") + redis.commandCalls("eval");
        // three renewal periods of silence: no script (renewal) reaches Redis after the release
        await().during(LEASE).atMost(LEASE.multipliedBy(2))
                .until(() -> redis.commandCalls("evalsha") + redis.commandCalls("eval") == scripts);
        assertEquals(0L, redis.command("EXISTS", key));
    }

    @Test
    void aPausedNodeMakesTheLeaseReportLoss() throws Exception {
        DistributedLock lock = Locks.of(latchkey).lock("wd-paused");
        AtomicReference<Throwable> lost = new AtomicReference<>();
        LockLease lease = lock.tryAcquire(LeaseRequest.builder(LEASE).watchdog(true)
                .onLeaseLost((n, c) -> lost.set(c)).build()).orElseThrow();
        redis.pause();
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> lost.get() != null);
            assertTrue(lost.get() instanceof LatchkeyException, String.valueOf(lost.get()));
            assertFalse(lease.isValid(), "reported lost only once past its local deadline");
            assertEquals(Duration.ZERO, lease.remaining());
        } finally {
            redis.resume();
        }
        assertTrue(meters.get("latchkey.lock.renew.failures").tag("name", "wd-paused").counter().count() >= 1);
        assertTrue(meters.get("latchkey.lock.leases.lost").tag("name", "wd-paused").counter().count() >= 1);
        lease.close();
    }

    @Test
    void maxHoldStopsRenewalAndTellsTheListener() throws Exception {
        DistributedLock lock = Locks.of(latchkey).lock("wd-maxhold");
        AtomicReference<Throwable> lost = new AtomicReference<>();
        LockLease lease = lock.tryAcquire(LeaseRequest.builder(LEASE).watchdog(true)
                .maxHold(Duration.ofMillis(700)).onLeaseLost((n, c) -> lost.set(c)).build()).orElseThrow();
        await().atMost(Duration.ofSeconds(5)).until(() -> lost.get() != null);
        assertTrue(lost.get().getMessage().contains("maximum hold"), lost.get().getMessage());
        // renewal stopped: the lock runs out on its own
        await().atMost(Duration.ofSeconds(5)).until(() -> !lock.isLocked());
        assertFalse(lease.isValid());
        assertEquals(ReleaseResult.ALREADY_GONE, lease.release());
    }

    @Test
    void aTakenOverLeaseIsReportedLost() throws Exception {
        DistributedLock lock = Locks.of(latchkey).lock("wd-taken");
        AtomicReference<Throwable> lost = new AtomicReference<>();
        LockLease lease = lock.tryAcquire(LeaseRequest.builder(LEASE).watchdog(true)
                .onLeaseLost((n, c) -> lost.set(c)).build()).orElseThrow();
        assertTrue(lock.forceRelease());
        LockLease other = lock.tryAcquire(Duration.ofSeconds(30)).orElseThrow();
        await().atMost(Duration.ofSeconds(5)).until(() -> lost.get() != null);
        assertFalse(lease.isValid(), "the renewal found another owner: lost at once");
        assertEquals(ReleaseResult.TAKEN_OVER, lease.release());
        assertEquals(other.id(), lock.holder().orElseThrow().ownerId());
        other.release();
    }
}
