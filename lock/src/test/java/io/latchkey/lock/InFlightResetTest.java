package io.latchkey.lock;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.Latchkey;
import io.latchkey.core.LatchkeyException;
import io.latchkey.core.LatchkeyTimeoutException;
import io.latchkey.testing.EmbeddedRedis;
import io.latchkey.testing.FaultProxy;
import io.latchkey.testing.RedisTest;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * An acquire whose connection is reset (TCP RST) after Redis granted it, before the reply arrived, is a success
 * (re-sent with the same owner, recognised as ours) or an unknown outcome, never "not executed": a caller told
 * "not executed" would not release a lock it holds.
 */
@RedisTest(proxied = true)
class InFlightResetTest {

    @Test
    void anAcquireResetInFlightIsOursOrUnknownNeverNotExecuted(Latchkey viaProxy, FaultProxy proxy,
                                                               EmbeddedRedis redis) {
        DistributedLock lock = Locks.of(viaProxy).lock("reset:1");
        lock.tryAcquire(Duration.ofSeconds(30)).orElseThrow().release(); // scripts cached
        long before = redis.commandCalls("evalsha");
        proxy.mode(FaultProxy.Mode.DROP_NEXT_REPLY_THEN_RESET);
        Optional<LockLease> lease = Optional.empty();
        LatchkeyException failure = null;
        try {
            lease = lock.tryAcquire(Duration.ofSeconds(30));
        } catch (LatchkeyException e) {
            failure = e;
        }
        assertTrue(redis.commandCalls("evalsha") > before, "the acquire reached Redis");
        if (failure != null) {
            assertInstanceOf(LatchkeyTimeoutException.class, failure,
                    "Redis granted the lock, so the caller must not be told \"not executed\": " + failure);
        } else {
            assertTrue(lease.isPresent(), "the re-sent acquire recognises its own grant");
            try (Latchkey direct = Latchkey.connect(redis.uri())) {
                assertTrue(Locks.of(direct).lock("reset:1").isLocked(), "and Redis holds it");
            }
            assertTrue(lease.get().isValid());
            lease.get().release();
        }
    }
}
