package io.latchkey.semaphore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.Latchkey;
import io.latchkey.core.LatchkeyException;
import io.latchkey.core.LatchkeyTimeoutException;
import io.latchkey.testing.EmbeddedRedis;
import io.latchkey.testing.FaultProxy;
import io.latchkey.testing.RedisTest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * An acquire whose connection is reset (TCP RST) after Redis granted the permit, before the reply arrived, is a
 * success (re-sent with the same permit id) or an unknown outcome, never "not executed".
 */
@RedisTest(proxied = true)
class InFlightResetTest {

    @Test
    void anAcquireResetInFlightIsOursOrUnknownNeverNotExecuted(Latchkey viaProxy, FaultProxy proxy,
                                                               EmbeddedRedis redis) {
        DistributedSemaphore s = Semaphores.of(viaProxy).semaphore("reset", 3);
        s.tryAcquire(Duration.ofSeconds(30)).orElseThrow().release(); // scripts cached
        long before = redis.commandCalls("evalsha");
        proxy.mode(FaultProxy.Mode.DROP_NEXT_REPLY_THEN_RESET);
        Optional<Permit> permit = Optional.empty();
        LatchkeyException failure = null;
        try {
            permit = s.tryAcquire(Duration.ofSeconds(30));
        } catch (LatchkeyException e) {
            failure = e;
        }
        assertTrue(redis.commandCalls("evalsha") > before, "the acquire reached Redis");
        if (failure != null) {
            assertInstanceOf(LatchkeyTimeoutException.class, failure,
                    "Redis granted a permit, so the caller must not be told \"not executed\": " + failure);
        } else {
            assertTrue(permit.isPresent(), "the re-sent acquire recognises its own permit");
            try (Latchkey direct = Latchkey.connect(redis.uri())) {
                List<PermitHolder> holders = Semaphores.of(direct).semaphore("reset", 3).holders();
                assertEquals(List.of(permit.get().id()), holders.stream().map(PermitHolder::permitId).toList(),
                        "exactly one permit, ours");
            }
            permit.get().release();
        }
    }
}
