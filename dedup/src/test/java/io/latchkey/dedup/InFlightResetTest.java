package io.latchkey.dedup;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.FailurePolicy;
import io.latchkey.core.Latchkey;
import io.latchkey.core.LatchkeyException;
import io.latchkey.core.LatchkeyTimeoutException;
import io.latchkey.testing.EmbeddedRedis;
import io.latchkey.testing.FaultProxy;
import io.latchkey.testing.RedisTest;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A claim whose connection is reset (TCP RST) after Redis ran it, before its reply arrived, must never be reported
 * as "not executed": Redis stored the id, so a consumer told "not executed, safe to retry" would redeliver, find
 * the id a duplicate, and never process the message.
 */
@RedisTest(proxied = true)
class InFlightResetTest {

    @ParameterizedTest
    @EnumSource(DedupStrategy.class)
    void aClaimResetInFlightIsFirstSeenOrUnknownNeverNotExecuted(DedupStrategy strategy, Latchkey viaProxy,
                                                                  FaultProxy proxy, EmbeddedRedis redis) {
        DeduplicatorOptions options = DeduplicatorOptions.builder().strategy(strategy)
                .failurePolicy(FailurePolicy.FAIL_CLOSED).build();
        Deduplicator d = Deduplicators.of(viaProxy).deduplicator("reset-" + strategy, Duration.ofMinutes(5), options);
        assertTrue(d.firstSeen("warm-up")); // scripts cached: the reset hits the claim itself
        long before = redis.commandCalls("evalsha");
        proxy.mode(FaultProxy.Mode.DROP_NEXT_REPLY_THEN_RESET);
        Boolean first = null;
        LatchkeyException failure = null;
        try {
            first = d.firstSeen("m-1");
        } catch (LatchkeyException e) {
            failure = e;
        }
        assertTrue(redis.commandCalls("evalsha") > before, "the claim reached Redis");
        try (Latchkey direct = Latchkey.connect(redis.uri())) {
            Deduplicator observer = Deduplicators.of(direct).deduplicator("reset-" + strategy,
                    Duration.ofMinutes(5), options);
            assertTrue(observer.seen("m-1"), "the claim ran: Redis stored the id");
        }
        if (failure != null) {
            assertInstanceOf(LatchkeyTimeoutException.class, failure,
                    "the id is stored, so the caller must not be told \"not executed\": " + failure);
        } else {
            assertTrue(first, "the re-sent claim recognises itself as the first");
        }
    }
}
