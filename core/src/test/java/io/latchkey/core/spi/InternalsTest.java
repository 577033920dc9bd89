package io.latchkey.core.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.latchkey.core.Latchkey;
import io.latchkey.testing.EmbeddedRedis;
import io.latchkey.testing.RedisTest;
import org.junit.jupiter.api.Test;

@RedisTest
class InternalsTest {

    @Test
    void reachesTheClientsOwnExecutorKeysAndScheduler(EmbeddedRedis redis) {
        try (Latchkey latchkey = Latchkey.builder().uri(redis.uri()).namespace("fence").build()) {
            Internals internals = Internals.of(latchkey);
            assertSame(internals, Internals.of(latchkey), "one per client");
            assertEquals("fence:{x}:lock", internals.keys().key("x", "lock"));
            assertEquals("PONG", internals.redis().callSync(c -> c.ping()));
        }
    }

    @Test
    void theBridgeCannotBeReplaced() throws ClassNotFoundException {
        Class.forName(Latchkey.class.getName()); // its static initialiser has granted the bridge
        assertThrows(IllegalStateException.class, () -> Internals.grantAccess(l -> null));
        assertThrows(NullPointerException.class, () -> Internals.of(null));
    }
}
