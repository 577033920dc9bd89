package io.latchkey.core.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LuaScriptTest {

    @Test
    void shaIsTheSha1OfTheSourceAsRedisComputesIt() {
        // echo -n "return 1" | sha1sum
        assertEquals("e0e1f9fabfc9d4800c877a703b823ac0578ff8db", LuaScript.of("t", "return 1").sha());
    }

    @Test
    void loadsResourcesBesideTheOwner() {
        LuaScript s = LuaScript.load(LuaScriptTest.class, "echo.lua");
        assertTrue(s.source().contains("ARGV[1]"));
        assertEquals("io.latchkey.core.spi/echo.lua", s.name());
    }

    @Test
    void missingResourceFailsClearly() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> LuaScript.load(LuaScriptTest.class, "nope.lua"));
        assertTrue(e.getMessage().contains("nope.lua"));
    }
}
