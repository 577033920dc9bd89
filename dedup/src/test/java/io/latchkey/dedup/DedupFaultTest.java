package io.latchkey.dedup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.FailurePolicy;
import io.latchkey.core.Latchkey;
import io.latchkey.core.LatchkeyException;
import io.latchkey.testing.EmbeddedRedis;
import io.latchkey.testing.FaultProxy;
import io.latchkey.testing.RedisTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Replays (a claim script that ran twice) and outages, through the fault-injecting proxy. */
@RedisTest(proxied = true)
class DedupFaultTest {

    private static Deduplicator dedup(Latchkey latchkey, String name, DedupStrategy strategy, FailurePolicy policy) {
        return Deduplicators.of(latchkey).deduplicator(name, Duration.ofMinutes(5),
                DeduplicatorOptions.builder().strategy(strategy).failurePolicy(policy).build());
    }

    @ParameterizedTest
    @EnumSource(DedupStrategy.class)
    void aClaimReplayedWithItsOwnClaimIdIsStillFirstSeen(DedupStrategy strategy, EmbeddedRedis redis) {
        try (Latchkey direct = Latchkey.connect(redis.uri())) {
            AbstractDeduplicator d = (AbstractDeduplicator) dedup(direct, "replay-direct", strategy,
                    FailurePolicy.FAIL_CLOSED);
            List<String> ids = List.of("p", "q", "p");
            assertEquals(List.of(true, true, false), d.claim(ids, "claim-1").join());
            assertEquals(List.of(true, true, false), d.claim(ids, "claim-1").join(), "the replay is ours");
            assertEquals(List.of(false, false, false), d.claim(ids, "claim-2").join(), "another claim is a duplicate");
        }
    }

    @ParameterizedTest
    @EnumSource(DedupStrategy.class)
    void aLostReplyReSentAfterReconnectIsNeitherLostNorDoubled(DedupStrategy strategy, Latchkey viaProxy,
                                                                FaultProxy proxy, EmbeddedRedis redis) {
        Deduplicator d = dedup(viaProxy, "replay-" + strategy, strategy, FailurePolicy.FAIL_CLOSED);
        assertTrue(d.firstSeen("warm-up")); // scripts cached: one EVALSHA per call from now on
        long before = redis.commandCalls("evalsha");
        long connections = proxy.connectionsAccepted();
        proxy.mode(FaultProxy.Mode.DROP_NEXT_REPLY_THEN_CLOSE);
        // the claim runs, its reply is swallowed with the connection; Lettuce reconnects and re-sends it
        assertTrue(d.firstSeen("m-42"), "first call is first seen, although its script ran twice");
        assertEquals(before + 2, redis.commandCalls("evalsha"), "the claim script ran twice");
        assertTrue(proxy.connectionsAccepted() > connections, "the client reconnected");
        assertFalse(d.firstSeen("m-42"), "and the id is stored once: a later claim is a duplicate");
        try (Latchkey direct = Latchkey.connect(redis.uri())) {
            Deduplicator other = dedup(direct, "replay-" + strategy, strategy, FailurePolicy.FAIL_CLOSED);
            assertFalse(other.firstSeen("m-42"), "another process sees a duplicate");
            assertTrue(other.forget("m-42"));
            assertFalse(other.seen("m-42"), "only one copy was stored");
        }
    }

    @ParameterizedTest
    @EnumSource(DedupStrategy.class)
    void aBatchReplayIsNeitherLostNorDoubled(DedupStrategy strategy, Latchkey viaProxy, FaultProxy proxy) {
        Deduplicator d = dedup(viaProxy, "replay-batch", strategy, FailurePolicy.FAIL_CLOSED);
        assertTrue(d.firstSeen("warm-up"));
        proxy.mode(FaultProxy.Mode.DROP_NEXT_REPLY_THEN_CLOSE);
        assertEquals(List.of(true, true, false), d.firstSeen(List.of("b1", "b2", "b1")));
        assertEquals(List.of(false, false, true), d.firstSeen(List.of("b1", "b2", "b3")));
    }

    @ParameterizedTest
    @EnumSource(DedupStrategy.class)
    void failClosedThrowsAndFailOpenAnswersFirstSeenBothCounted(DedupStrategy strategy, EmbeddedRedis redis,
                                                                 FaultProxy proxy) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Latchkey latchkey = Latchkey.builder().uri(proxy.uri()).meterRegistry(registry)
                .commandTimeout(Duration.ofMillis(500)).build()) {
            Deduplicator closed = dedup(latchkey, "closed", strategy, FailurePolicy.FAIL_CLOSED);
            Deduplicator open = dedup(latchkey, "open", strategy, FailurePolicy.FAIL_OPEN);
            assertTrue(open.firstSeen("seen-before-outage"));
            proxy.mode(FaultProxy.Mode.REFUSE);
            assertThrows(LatchkeyException.class, () -> closed.firstSeen("a"));
            java.util.concurrent.CompletionException async = assertThrows(java.util.concurrent.CompletionException.class,
                    () -> closed.firstSeenAsync(List.of("a", "b")).join());
            assertTrue(async.getCause() instanceof LatchkeyException, "the async form fails with " + async.getCause());
            assertTrue(open.firstSeen("seen-before-outage"), "FAIL_OPEN answers first seen, even for a duplicate");
            assertEquals(List.of(true, true), open.firstSeen(List.of("x", "y")));
            assertEquals(List.of(true), open.firstSeenAsync(List.of("z")).join());
            assertEquals(3.0, registry.get(DedupMetrics.CLAIMS).tag("name", "closed").tag("result", "fallback")
                    .counter().count());
            assertEquals(4.0, registry.get(DedupMetrics.CLAIMS).tag("name", "open").tag("result", "fallback")
                    .counter().count());
        }
    }
}
