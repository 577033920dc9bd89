package io.latchkey.core.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.Latchkey;
import io.latchkey.testing.EmbeddedRedis;
import io.latchkey.testing.RedisTest;
import io.lettuce.core.ScriptOutputType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link LuaScript#load(Class, String[], String)}: shared preludes joined, in order, before a script. */
@RedisTest
class LuaScriptPreludeTest {

    private static final String[] PRELUDES = {"prelude-twice.lua", "prelude-plus.lua"};

    private EmbeddedRedis redis;
    private Latchkey latchkey;

    @BeforeEach
    void connect(EmbeddedRedis redis, Latchkey latchkey) {
        this.redis = redis;
        this.latchkey = latchkey;
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = LuaScriptPreludeTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void preludesAreJoinedInOrderBeforeTheScript() throws Exception {
        LuaScript s = LuaScript.load(LuaScriptPreludeTest.class, PRELUDES, "prelude-main.lua");
        String joined = resource("prelude-twice.lua") + "\n" + resource("prelude-plus.lua") + "\n"
                + resource("prelude-main.lua");
        assertEquals(joined, s.source());
        assertEquals("io.latchkey.core.spi/prelude-main.lua", s.name(), "named after the script, not a prelude");
        String sha1 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                .digest(joined.getBytes(StandardCharsets.UTF_8)));
        assertEquals(sha1, s.sha(), "the SHA of the joined text");
        assertEquals(sha1, redis.command("SCRIPT", "LOAD", joined), "as Redis computes it");
    }

    @Test
    void theJoinedScriptRunsInRedisWithThePreludesFunctions() {
        LuaScript s = LuaScript.load(LuaScriptPreludeTest.class, PRELUDES, "prelude-main.lua");
        redis.command("SCRIPT", "FLUSH"); // the first call goes through the NOSCRIPT → EVAL fallback
        Long first = Internals.of(latchkey).redis().evalSync(s, ScriptOutputType.INTEGER, new String[0], "20", "1");
        assertEquals(41L, first);
        assertEquals(List.of(1L), redis.command("SCRIPT", "EXISTS", s.sha()), "loaded under the joined text's SHA");
        Long second = Internals.of(latchkey).redis().evalSync(s, ScriptOutputType.INTEGER, new String[0], "3", "4");
        assertEquals(10L, second);
    }

    @Test
    void withoutPreludesItIsThePlainLoad() {
        LuaScript plain = LuaScript.load(LuaScriptPreludeTest.class, "echo.lua");
        LuaScript none = LuaScript.load(LuaScriptPreludeTest.class, new String[0], "echo.lua");
        assertEquals(plain.source(), none.source());
        assertEquals(plain.sha(), none.sha());
        assertEquals(plain.name(), none.name());
    }

    @Test
    void aMissingPreludeFailsNamingIt() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> LuaScript.load(
                LuaScriptPreludeTest.class, new String[] {"prelude-nope.lua"}, "prelude-main.lua"));
        assertTrue(e.getMessage().contains("prelude-nope.lua"), e.getMessage());
        assertThrows(NullPointerException.class,
                () -> LuaScript.load(LuaScriptPreludeTest.class, (String[]) null, "prelude-main.lua"));
        assertThrows(NullPointerException.class,
                () -> LuaScript.load(LuaScriptPreludeTest.class, PRELUDES, null));
    }
}
