package io.latchkey.core.spi;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which servers get WAITAOF instead of WAIT after a grant: 7.2 or later, with AOF on. */
class WaitAofProbeTest {

    private static String server(String version) {
        return "# Server\r\nredis_version:" + version + "\r\nredis_mode:standalone\r\n";
    }

    private static final String AOF_ON = "# Persistence\r\naof_enabled:1\r\n";
    private static final String AOF_OFF = "# Persistence\r\naof_enabled:0\r\n";

    @Test
    void sevenTwoAndLaterWithAofUseWaitAof() {
        assertTrue(RedisExecutor.supportsWaitAof(server("7.2.0"), AOF_ON));
        assertTrue(RedisExecutor.supportsWaitAof(server("7.4.1"), AOF_ON));
        assertTrue(RedisExecutor.supportsWaitAof(server("8.0.2"), AOF_ON));
    }

    @Test
    void olderServersOrNoAofUseWait() {
        assertFalse(RedisExecutor.supportsWaitAof(server("7.0.15"), AOF_ON));
        assertFalse(RedisExecutor.supportsWaitAof(server("6.2.6"), AOF_ON));
        assertFalse(RedisExecutor.supportsWaitAof(server("7.2.4"), AOF_OFF));
        assertFalse(RedisExecutor.supportsWaitAof(server("garbage"), AOF_ON));
        assertFalse(RedisExecutor.supportsWaitAof("# Server\r\n", AOF_ON));
    }
}
