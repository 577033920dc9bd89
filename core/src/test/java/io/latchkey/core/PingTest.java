package io.latchkey.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import io.latchkey.core.spi.Internals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.spi.LuaScript;
import io.latchkey.testing.EmbeddedRedis;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link Latchkey#ping()}: PING, then the script cache state of the scripts this client has sent. */
class PingTest {

    private static final LuaScript ONE = LuaScript.of("ping-one", "return 1");
    private static final LuaScript TWO = LuaScript.of("ping-two", "return 2");

    @Test
    void reportsWhichSentScriptsTheServerStillCaches() {
        try (EmbeddedRedis redis = EmbeddedRedis.start();
             Latchkey lk = Latchkey.builder().uri(redis.uri()).build()) {
            assertTrue(lk.ping().isEmpty(), "no script sent yet");
            Internals.of(lk).redis().<Long>evalSync(ONE, ScriptOutputType.INTEGER, new String[] {"p:1"});
            Internals.of(lk).redis().<Long>evalSync(TWO, ScriptOutputType.INTEGER, new String[] {"p:2"});
            assertEquals(Map.of("ping-one", true, "ping-two", true), lk.ping());

            redis.command("SCRIPT", "FLUSH");
            assertEquals(Map.of("ping-one", false, "ping-two", false), lk.ping());

            Internals.of(lk).redis().<Long>evalSync(ONE, ScriptOutputType.INTEGER, new String[] {"p:1"}); // NOSCRIPT → EVAL
            assertEquals(Map.of("ping-one", true, "ping-two", false), lk.ping());
        }
    }

    @Test
    void failsWhenRedisDoesNotAnswer() {
        try (EmbeddedRedis redis = EmbeddedRedis.start();
             Latchkey lk = Latchkey.builder().uri(redis.uri()).commandTimeout(Duration.ofMillis(200)).build()) {
            redis.pause();
            try {
                assertThrows(LatchkeyException.class, lk::ping);
            } finally {
                redis.resume();
            }
        }
    }
}
