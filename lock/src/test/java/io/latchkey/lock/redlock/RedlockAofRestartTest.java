package io.latchkey.lock.redlock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.lock.redlock.RedlockNodeOutcome.Status;
import io.latchkey.testing.EmbeddedRedis;
import io.latchkey.testing.FaultProxy;
import io.latchkey.testing.RedisTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The restart rule kept by persistence: with AOF and appendfsync always, an immediate restart is safe. */
@RedisTest(nodes = 3, proxied = true, appendOnly = true)
class RedlockAofRestartTest {

    @Test
    void anImmediateRestartWithAofAppendfsyncAlwaysKeepsTheLock(List<FaultProxy> proxies, List<EmbeddedRedis> nodes)
            throws InterruptedException {
        try (RedlockTestClients a = RedlockTestClients.connect(RedlockTestClients.uris(proxies, 3))) {
            proxies.get(2).mode(FaultProxy.Mode.REFUSE); // A's majority is exactly {0, 1}
            RedlockLease first = (RedlockLease) a.redlock().lock("persisted")
                    .tryAcquire(Duration.ofSeconds(10), RedlockTestClients.WAIT)
                    .orElseThrow();
            assertEquals(2, first.acquisition().count(Status.ACQUIRED));

            nodes.get(1).restart(); // reloads A's grant (and its expiry) from the AOF

            try (RedlockTestClients b = RedlockTestClients.connect(nodes.stream().map(EmbeddedRedis::uri).toList())) {
                RedlockLock lockB = b.redlock().lock("persisted");
                assertTrue(lockB.tryAcquire(Duration.ofSeconds(10)).isEmpty(), "no second holder");
                RedlockRound seen = lockB.lastFailedAttempt().orElseThrow();
                assertEquals(Status.HELD, seen.nodes().get(1).status(), "node 1 remembered A's grant");
                assertTrue(first.isValid());
                assertEquals(first.id(), lockB.holder().orElseThrow().ownerId());
            }
            first.close();
        }
    }
}
