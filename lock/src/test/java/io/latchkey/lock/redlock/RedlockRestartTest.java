package io.latchkey.lock.redlock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.lock.LockLease;
import io.latchkey.lock.redlock.RedlockNodeOutcome.Status;
import io.latchkey.testing.EmbeddedRedis;
import io.latchkey.testing.FaultProxy;
import io.latchkey.testing.RedisTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The restart rule (docs/redlock.md): a node that restarts without persistence forgets the locks it granted. Client
 * A reaches nodes 0 and 1 only (its proxy to node 2 refuses), so its majority is exactly {0, 1}; client B talks to
 * every node directly.
 */
@RedisTest(nodes = 3, proxied = true)
class RedlockRestartTest {

    /** The documented hazard, on purpose: an immediate restart without persistence lets a second holder in. */
    @Test
    void anImmediateRestartWithoutPersistenceAllowsASecondHolder(List<FaultProxy> proxies, List<EmbeddedRedis> nodes)
            throws InterruptedException {
        try (RedlockTestClients a = RedlockTestClients.connect(RedlockTestClients.uris(proxies, 3))) {
            proxies.get(2).mode(FaultProxy.Mode.REFUSE);
            RedlockLease first = (RedlockLease) a.redlock().lock("restarted")
                    .tryAcquire(Duration.ofSeconds(10), RedlockTestClients.WAIT)
                    .orElseThrow();
            assertEquals(2, first.acquisition().count(Status.ACQUIRED));

            nodes.get(1).restart(); // no AOF: node 1 comes back empty, A's grant there is forgotten

            try (RedlockTestClients b = RedlockTestClients.connect(nodes.stream().map(EmbeddedRedis::uri).toList())) {
                RedlockLease second = (RedlockLease) b.redlock().lock("restarted")
                        .tryAcquire(Duration.ofSeconds(10), RedlockTestClients.WAIT)
                        .orElseThrow(() -> new AssertionError("expected the hazard: a second holder"));
                assertEquals(Status.HELD, second.acquisition().nodes().get(0).status());
                assertTrue(first.isValid() && second.isValid(), "two valid leases at once: mutual exclusion broke");
                // Fencing still orders them: the restarted node's and node 2's tokens come from Redis TIME, later
                // than A's, so a resource that checks tokens rejects A from now on.
                assertTrue(second.fencingToken() > first.fencingToken());
                second.release();
            }
            first.close();
        }
    }

    /** The rule kept: the node stays down longer than the lease, so A's lease is over before B can get a majority. */
    @Test
    void aRestartDelayedPastTheLeaseIsSafe(List<FaultProxy> proxies, List<EmbeddedRedis> nodes)
            throws InterruptedException {
        Duration lease = Duration.ofMillis(600);
        try (RedlockTestClients a = RedlockTestClients.connect(RedlockTestClients.uris(proxies, 3));
             RedlockTestClients b = RedlockTestClients.connect(nodes.stream().map(EmbeddedRedis::uri).toList())) {
            proxies.get(2).mode(FaultProxy.Mode.REFUSE);
            RedlockLease first = (RedlockLease) a.redlock().lock("delayed")
                    .tryAcquire(lease, RedlockTestClients.WAIT).orElseThrow();
            RedlockLock lockB = b.redlock().lock("delayed");

            nodes.get(1).kill();
            assertTrue(lockB.tryAcquire(lease).isEmpty(), "node 0 is A's, node 1 is down: no majority for B");
            assertTrue(first.isValid());

            nodes.get(1).restart(lease.plusMillis(100)); // down longer than the longest lease
            assertFalse(first.isValid(), "A's lease ended while node 1 was down");
            b.awaitConnected();
            RedlockLease second = (RedlockLease) assertPresent(lockB);
            assertTrue(second.isValid());
            assertTrue(second.fencingToken() > first.fencingToken());
            second.release();
        }
    }

    private static LockLease assertPresent(RedlockLock lock) {
        try {
            return lock.tryAcquire(Duration.ofSeconds(5), Duration.ofSeconds(3)).orElseThrow();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
