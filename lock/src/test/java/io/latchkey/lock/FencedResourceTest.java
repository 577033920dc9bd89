package io.latchkey.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.Latchkey;
import io.latchkey.testing.EmbeddedRedis;
import io.latchkey.testing.RedisTest;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** A resource that checks fencing tokens rejects a holder that paused past its lease. */
@RedisTest
class FencedResourceTest {

    private static final Duration TTL = Duration.ofMinutes(5);

    @Test
    void aStaleHolderIsRejectedAfterANewerOneWrote(Latchkey latchkey, EmbeddedRedis redis) {
        Locks locks = Locks.of(latchkey);
        DistributedLock lock = locks.lock("fenced:order-1");
        FencedResource store = locks.fencedResource("orders");

        LockLease slow = lock.tryAcquire(Duration.ofMillis(100)).orElseThrow();
        assertTrue(store.write("order-1", "v1", slow.fencingToken(), TTL));
        assertTrue(store.write("order-1", "v1b", slow.fencingToken(), TTL), "the same lease may write again");
        // the slow holder "pauses" past its lease; another process takes over and writes
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !lock.isLocked());
        LockLease fast = lock.tryAcquire(Duration.ofSeconds(30)).orElseThrow();
        assertTrue(store.write("order-1", "v2", fast.fencingToken(), TTL));
        // the slow holder wakes up and writes with its old token: refused
        assertFalse(store.write("order-1", "stale", slow.fencingToken(), TTL));
        FencedResource.FencedValue stored = store.read("order-1").orElseThrow();
        assertEquals("v2", stored.value());
        assertEquals(fast.fencingToken(), stored.fencingToken());
        fast.release();

        long pttl = (Long) redis.command("PTTL", latchkey.namespace() + ":{orders:order-1}:fenced");
        assertTrue(pttl > 0 && pttl <= TTL.toMillis(), "fenced values carry a TTL: " + pttl);
        assertTrue(store.read("other").isEmpty());
    }

    @Test
    void writeOnceNeedsAStrictlyGreaterToken(Latchkey latchkey) {
        FencedResource store = Locks.of(latchkey).fencedResource("once");
        long big = 1_764_000_000_000_123L; // a µs-sized token: more than 14 digits must stay exact
        assertTrue(store.writeOnce("k", "a", big, TTL));
        assertFalse(store.writeOnce("k", "b", big, TTL));
        assertFalse(store.write("k", "c", big - 1, TTL));
        assertTrue(store.writeOnce("k", "d", big + 1, TTL));
        assertEquals(new FencedResource.FencedValue("d", big + 1), store.read("k").orElseThrow());
    }
}
