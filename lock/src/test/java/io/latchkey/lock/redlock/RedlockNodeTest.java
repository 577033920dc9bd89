package io.latchkey.lock.redlock;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.Latchkey;
import io.latchkey.lock.LockOptions;
import io.latchkey.lock.redlock.RedlockNodeOutcome.Status;
import io.latchkey.core.spi.Internals;
import io.latchkey.testing.EmbeddedRedis;
import io.latchkey.testing.FaultProxy;
import io.latchkey.testing.RedisTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One node's scripts: replays are harmless, the write-back is conditional, every key expires. */
@RedisTest(proxied = true)
class RedlockNodeTest {

    private static long pttl(EmbeddedRedis redis, String key) {
        return ((Number) redis.command("PTTL", key)).longValue();
    }

    private static long counter(EmbeddedRedis redis, String key) {
        return Long.parseLong((String) redis.command("GET", key));
    }

    @Test
    void replayedScriptsAreHarmlessAndTheWriteBackIsConditional(Latchkey latchkey, EmbeddedRedis redis) {
        RedlockNode node = new RedlockNode(0, latchkey, "n", Duration.ofSeconds(1), LockOptions.defaults());
        String fenceKey = Internals.of(latchkey).keys().key("n", "redlock-fence");
        String lockKey = Internals.of(latchkey).keys().key("n", "redlock");

        RedlockNodeOutcome first = node.acquire("owner-a", 5000).join();
        assertEquals(Status.ACQUIRED, first.status());
        RedlockNodeOutcome replay = node.acquire("owner-a", 5000).join();
        assertEquals(Status.ACQUIRED, replay.status(), "a replay is recognised");
        assertEquals(first.fencingToken(), replay.fencingToken(), "same token, no new grant");
        assertTrue(replay.ttl().compareTo(Duration.ofMillis(5000)) <= 0, "a replay reports only the time left");
        RedlockNodeOutcome other = node.acquire("owner-b", 5000).join();
        assertEquals(Status.HELD, other.status());
        assertTrue(other.ttl().toMillis() > 4000);

        long quorumToken = first.fencingToken() + 1000;
        assertEquals(Status.FENCED, node.fence("owner-a", quorumToken, 5000).join().status());
        assertEquals(quorumToken, counter(redis, fenceKey));
        assertEquals(Status.FENCED, node.fence("owner-a", quorumToken, 5000).join().status(), "replay");
        assertEquals(Status.FENCED, node.fence("owner-a", quorumToken - 500, 5000).join().status());
        assertEquals(quorumToken, counter(redis, fenceKey), "the counter never goes back");
        assertEquals(Status.TAKEN_OVER, node.fence("owner-b", quorumToken + 7, 5000).join().status());
        assertEquals(quorumToken, counter(redis, fenceKey), "not the owner: nothing written");
        assertTrue(pttl(redis, fenceKey) > Duration.ofDays(29).toMillis(), "the counter has its long TTL");
        assertTrue(pttl(redis, lockKey) > 0 && pttl(redis, lockKey) <= 5000, "the lock expires with the lease");

        assertEquals(Status.EXTENDED, node.extend("owner-a", first.fencingToken(), 8000).join().status());
        assertTrue(pttl(redis, lockKey) > 5000);
        assertEquals(Status.ALREADY_GONE, node.extend("owner-b", first.fencingToken(), 8000).join().status());

        assertEquals(Status.RELEASED, node.release("owner-a").join().status());
        assertEquals(Status.ALREADY_GONE, node.release("owner-a").join().status(), "a replayed release is a no-op");
        assertEquals(Status.ALREADY_GONE, node.fence("owner-a", quorumToken + 99, 5000).join().status(),
                "a write-back after the lock moved on changes nothing");
        assertEquals(quorumToken, counter(redis, fenceKey));

        RedlockNodeOutcome next = node.acquire("owner-c", 5000).join();
        assertTrue(next.fencingToken() > quorumToken, "the next grant is above the written-back token");
    }

    @Test
    void aConnectionLostUnderTheAcquireIsTimedOutAndTheBackgroundReleaseCleansUp(EmbeddedRedis redis) {
        // cached, so the swallowed reply is the script's own and not a NOSCRIPT answer
        redis.command("SCRIPT", "LOAD", RedlockNode.ACQUIRE.source());
        try (FaultProxy proxy = FaultProxy.start(redis);
             RedlockTestClients c = RedlockTestClients.connect(List.of(proxy.uri()))) {
            Latchkey client = c.clients.get(0);
            Internals.of(client).redis().callSync(cmd -> cmd.ping());
            RedlockNode node = new RedlockNode(0, client, "dropped", Duration.ofSeconds(1), LockOptions.defaults());
            String lockKey = Internals.of(client).keys().key("dropped", "redlock");
            proxy.mode(FaultProxy.Mode.DROP_NEXT_REPLY_THEN_CLOSE);
            RedlockNodeOutcome lost = node.acquire("o", 30_000).join();
            assertEquals(Status.TIMED_OUT, lost.status(), "the acquire may have happened, so not UNAVAILABLE: " + lost);
            assertEquals(1L, ((Number) redis.command("EXISTS", lockKey)).longValue(), "and it did happen");
            node.releaseEventually("o", System.nanoTime() + Duration.ofSeconds(30).toNanos());
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> ((Number) redis.command("EXISTS", lockKey)).longValue() == 0);
        }
    }

    @Test
    void aNodeBehindABlackholeTimesOutAndOneThatIsDownIsUnavailable(EmbeddedRedis redis) {
        try (FaultProxy proxy = FaultProxy.start(redis);
             RedlockTestClients c = RedlockTestClients.connect(List.of(proxy.uri()))) {
            RedlockNode node = new RedlockNode(0, c.clients.get(0), "t", Duration.ofMillis(60), LockOptions.defaults());
            proxy.mode(FaultProxy.Mode.BLACKHOLE);
            RedlockNodeOutcome timedOut = node.acquire("o", 1000).join();
            assertEquals(Status.TIMED_OUT, timedOut.status());
            assertTrue(timedOut.latency().toMillis() >= 60);
            proxy.mode(FaultProxy.Mode.REFUSE);
            RedlockNodeOutcome down = node.release("o").join();
            assertTrue(down.status() == Status.UNAVAILABLE || down.status() == Status.TIMED_OUT, down.toString());
            assertTrue(down.status().isFailure() && !down.failure().isEmpty());
            proxy.mode(FaultProxy.Mode.PASS); // the client closes without waiting out reconnect attempts
        }
    }

    @Test
    void aGrantWhoseReplyWasLostIsNotLeftAsAPhantomHolder(List<FaultProxy> proxies, List<EmbeddedRedis> nodes) {
        try (RedlockTestClients c = RedlockTestClients.connect(RedlockTestClients.uris(proxies, 1))) {
            RedlockLock lock = Redlock.of(c.clients, RedlockTestClients.FAST).lock("replayed");
            lock.tryAcquire(Duration.ofSeconds(30)).orElseThrow().release(); // scripts cached
            String fence = Internals.of(c.clients.get(0)).keys().key("replayed", "redlock-fence");
            long before = counter(nodes.get(0), fence);
            // the acquire runs in Redis, its reply is lost with the connection
            proxies.get(0).mode(FaultProxy.Mode.DROP_NEXT_REPLY_THEN_CLOSE);
            try {
                lock.tryAcquire(Duration.ofSeconds(30)).orElseThrow().close(); // its release may meet the reconnect
            } catch (RedlockQuorumException e) {
                // the connection dropped after the script was written; core reports that as a timeout or (when the
                // disconnect wins the race) as unavailable: Redlock releases failed nodes either way
                assertTrue(e.round().nodes().get(0).status().isFailure(), e.round().toString());
            }
            assertTrue(counter(nodes.get(0), fence) > before, "the acquire did run on the node");
            String key = Internals.of(c.clients.get(0)).keys().key("replayed", "redlock");
            // released long before its 30 s lease, whether or not the client saw the grant
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> ((Number) nodes.get(0).command("EXISTS", key)).longValue() == 0);
        }
    }
}
