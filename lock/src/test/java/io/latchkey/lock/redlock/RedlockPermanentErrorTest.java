package io.latchkey.lock.redlock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import io.latchkey.core.spi.Internals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.Latchkey;
import io.latchkey.core.LatchkeyScriptException;
import io.latchkey.core.LatchkeyUnavailableException;
import io.latchkey.lock.DistributedLock;
import io.latchkey.testing.EmbeddedRedis;
import io.latchkey.testing.RedisTest;
import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.protocol.CommandType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * NOPERM on every node is a permanent error with each node's reason, not "too few nodes answered" (which reads as a
 * transient outage and sends operators looking at the network).
 */
@RedisTest(nodes = 3)
class RedlockPermanentErrorTest {

    @Test
    void anAclRefusalOnEveryNodeIsAPermanentErrorNamingTheReason(List<EmbeddedRedis> nodes, List<Latchkey> admins) {
        List<Latchkey> clients = new ArrayList<>();
        try {
            for (int i = 0; i < nodes.size(); i++) {
                Internals.of(admins.get(i)).redis().callSync(c -> c.aclSetuser("no-scripts", AclSetuserArgs.Builder.on()
                        .addPassword("pw").allKeys().allChannels().allCommands().removeCommand(CommandType.EVALSHA)
                        .removeCommand(CommandType.EVAL)));
                clients.add(Latchkey.connect("redis://no-scripts:pw@127.0.0.1:" + nodes.get(i).port()));
            }
            DistributedLock lock = Redlock.of(clients).lock("acl:1");
            RedlockErrorException e = assertThrows(RedlockErrorException.class,
                    () -> lock.tryAcquire(Duration.ofSeconds(10)));
            assertTrue(e instanceof LatchkeyScriptException);
            assertFalse(LatchkeyUnavailableException.class.isInstance(e), "not a transient outage");
            assertTrue(e.getMessage().contains("NOPERM"), e.getMessage());
            assertEquals(3, e.round().count(RedlockNodeOutcome.Status.ERROR));
        } finally {
            clients.forEach(Latchkey::close);
        }
    }
}
