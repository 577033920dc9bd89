package io.latchkey.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.spi.Internals;
import io.latchkey.core.spi.LuaScript;
import io.latchkey.testing.EmbeddedRedis;
import io.latchkey.testing.FaultProxy;
import io.lettuce.core.ScriptOutputType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A command whose reply is lost with its connection may have run: it surfaces as an unknown outcome, never as
 * "not executed", and an idempotent script is re-sent with the same request id and answers as its first run did.
 */
class ReplayTest {

    /** Adds ARGV[1] to a set once and counts every run; returns 1 if this request id was new when first seen. */
    private static final LuaScript CLAIM = LuaScript.of("claim-test",
            "redis.call('INCR', KEYS[2]) redis.call('PEXPIRE', KEYS[2], 60000)"
                    + " local prev = redis.call('HGET', KEYS[1], ARGV[1])"
                    + " if prev then return tonumber(prev) end"
                    + " local fresh = 1 if redis.call('HLEN', KEYS[1]) > 0 then fresh = 0 end"
                    + " redis.call('HSET', KEYS[1], ARGV[1], fresh) redis.call('PEXPIRE', KEYS[1], 60000)"
                    + " return fresh");
    private static final String[] KEYS = {"replay:{t}:claims", "replay:{t}:runs"};

    static EmbeddedRedis redis;
    FaultProxy proxy;

    @BeforeAll
    static void start() {
        redis = EmbeddedRedis.start();
    }

    @AfterAll
    static void stop() {
        redis.close();
    }

    @BeforeEach
    void clean() {
        redis.flushAll();
        // cached, so the dropped reply is the script's own and not a NOSCRIPT answer
        redis.command("SCRIPT", "LOAD", CLAIM.source());
        proxy = FaultProxy.start(redis);
    }

    @org.junit.jupiter.api.AfterEach
    void closeProxy() {
        proxy.close();
    }

    @Test
    void anIdempotentScriptIsResentAndRecognisesItself() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (Latchkey lk = Latchkey.builder().uri(proxy.uri()).meterRegistry(meters).build()) {
            Internals.of(lk).redis().callSync(c -> c.ping());
            proxy.mode(FaultProxy.Mode.DROP_NEXT_REPLY_THEN_CLOSE);
            long first = Internals.of(lk).redis().<Long>await(Internals.of(lk).redis().evalIdempotent(CLAIM, ScriptOutputType.INTEGER, KEYS, "req-1"));
            assertEquals(1L, first, "the re-sent script answers as its first run did");
            assertEquals("2", redis.command("GET", KEYS[1]).toString(), "the script ran twice");
            assertTrue(meters.get("latchkey.core.script.resends").counter().count() >= 1);
            long second = Internals.of(lk).redis().<Long>await(Internals.of(lk).redis().evalIdempotent(CLAIM, ScriptOutputType.INTEGER, KEYS, "req-2"));
            assertEquals(0L, second);
        }
    }

    @Test
    void aReplyLostWithItsConnectionIsAnUnknownOutcomeNotUnavailable() {
        try (Latchkey lk = Latchkey.connect(proxy.uri())) {
            Internals.of(lk).redis().callSync(c -> c.ping());
            proxy.mode(FaultProxy.Mode.DROP_NEXT_REPLY_THEN_CLOSE);
            LatchkeyException e = assertThrows(LatchkeyException.class,
                    () -> Internals.of(lk).redis().<Long>evalSync(CLAIM, ScriptOutputType.INTEGER, KEYS, "req-6"));
            assertInstanceOf(LatchkeyTimeoutException.class, e, "a plain eval is not re-sent; " + e);
            assertEquals("1", redis.command("GET", KEYS[1]).toString(),
                    "the script did run once: \"not executed\" would have been a lie");
        }
    }

    @Test
    void aConnectionResetWithTheScriptInFlightIsResentNotReportedAsNotExecuted() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (Latchkey lk = Latchkey.builder().uri(proxy.uri()).meterRegistry(meters).build()) {
            Internals.of(lk).redis().callSync(c -> c.ping());
            // Lettuce fails the in-flight command with an IOException ("Connection reset by peer")
            proxy.mode(FaultProxy.Mode.DROP_NEXT_REPLY_THEN_RESET);
            long first = Internals.of(lk).redis().<Long>await(Internals.of(lk).redis().evalIdempotent(CLAIM, ScriptOutputType.INTEGER, KEYS, "req-7"));
            assertEquals(1L, first, "re-sent, and recognised as the first run");
            assertEquals("2", redis.command("GET", KEYS[1]).toString(), "the script ran twice");
            assertTrue(meters.get("latchkey.core.script.resends").counter().count() >= 1);
        }
    }

    @Test
    void aConnectionResetUnderAPlainEvalIsAnUnknownOutcome() {
        try (Latchkey lk = Latchkey.connect(proxy.uri())) {
            Internals.of(lk).redis().callSync(c -> c.ping());
            proxy.mode(FaultProxy.Mode.DROP_NEXT_REPLY_THEN_RESET);
            LatchkeyException e = assertThrows(LatchkeyException.class,
                    () -> Internals.of(lk).redis().<Long>evalSync(CLAIM, ScriptOutputType.INTEGER, KEYS, "req-8"));
            assertInstanceOf(LatchkeyTimeoutException.class, e, "it ran: \"not executed\" would be a lie; " + e);
            assertEquals("1", redis.command("GET", KEYS[1]).toString());
        }
    }

    @Test
    void aCleanUpIsDeliveredOnceRedisIsReachableAgain() throws Exception {
        try (Latchkey lk = Latchkey.builder().uri(proxy.uri()).commandTimeout(Duration.ofSeconds(1)).build()) {
            Internals.of(lk).redis().callSync(c -> c.ping());
            proxy.mode(FaultProxy.Mode.REFUSE);
            java.util.concurrent.CompletableFuture<Long> cleanUp = Internals.of(lk).redis().evalEventually(CLAIM,
                    ScriptOutputType.INTEGER, KEYS, new String[] {"req-4"}, System.nanoTime() + 30_000_000_000L);
            // still trying while Redis is unreachable...
            org.awaitility.Awaitility.await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3))
                    .until(() -> !cleanUp.isDone());
            proxy.mode(FaultProxy.Mode.PASS);
            assertEquals(1L, cleanUp.get(20, java.util.concurrent.TimeUnit.SECONDS));
        }
    }

    @Test
    void aCleanUpGivesUpAtItsDeadline() {
        try (Latchkey lk = Latchkey.builder().uri(proxy.uri()).commandTimeout(Duration.ofSeconds(1)).build()) {
            Internals.of(lk).redis().callSync(c -> c.ping());
            proxy.mode(FaultProxy.Mode.REFUSE);
            java.util.concurrent.CompletableFuture<Long> cleanUp = Internals.of(lk).redis().evalEventually(CLAIM,
                    ScriptOutputType.INTEGER, KEYS, new String[] {"req-5"}, System.nanoTime() + 2_000_000_000L);
            assertThrows(LatchkeyException.class, () -> Internals.of(lk).redis().await(cleanUp));
        }
    }

    @Test
    void anOutageStillFailsWithinAboutOneCommandTimeout() {
        try (Latchkey lk = Latchkey.builder().uri(proxy.uri()).commandTimeout(Duration.ofSeconds(1)).build()) {
            Internals.of(lk).redis().callSync(c -> c.ping());
            proxy.mode(FaultProxy.Mode.REFUSE);
            long start = System.nanoTime();
            LatchkeyException e = assertThrows(LatchkeyException.class, () ->
                    Internals.of(lk).redis().await(Internals.of(lk).redis().evalIdempotent(CLAIM, ScriptOutputType.INTEGER, KEYS, "req-3")));
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(ms < 5_000, "gave up after " + ms + " ms");
            assertTrue(e instanceof LatchkeyUnavailableException || e instanceof LatchkeyTimeoutException, e.toString());
        }
    }
}
