package io.latchkey.core;

import static org.awaitility.Awaitility.await;
import io.latchkey.core.spi.Internals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.testing.EmbeddedRedis;
import io.latchkey.testing.EmbeddedRedisSentinel;
import io.latchkey.testing.RedisTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Connecting through Redis Sentinel, by URI and by builder option, and following the primary across failovers. */
@RedisTest(topology = RedisTest.Topology.SENTINEL)
class SentinelTest {

    @Test
    void sentinelUriConnectsToTheReportedPrimary(EmbeddedRedisSentinel sentinel, Latchkey latchkey) {
        Internals.of(latchkey).redis().callSync(c -> c.set("through", "sentinel"));
        assertEquals("sentinel", sentinel.primary().command("GET", "through"));
        assertTrue(latchkey.serverTimeMicros() > 0);
        assertTrue(latchkey.toString().contains("redis-sentinel://127.0.0.1:"), latchkey.toString());
        assertTrue(latchkey.toString().contains("#" + sentinel.masterName()), latchkey.toString());
    }

    @Test
    void builderOptionConnectsAndAuthenticatesWithAnAclUser(EmbeddedRedisSentinel sentinel) {
        for (EmbeddedRedis node : sentinel.nodes()) { // ACL users are per node, not replicated
            node.command("ACL", "SETUSER", "app", "on", ">app-pw", "~*", "&*", "+@all");
        }
        try (Latchkey app = Latchkey.builder()
                .sentinel(sentinel.masterName(), sentinel.sentinelAddresses())
                .credentials("app", "app-pw")
                .build()) {
            assertEquals("app", Internals.of(app).redis().callSync(c -> c.aclWhoami()));
            assertFalse(app.toString().contains("app-pw"), app.toString());
        }
        try (Latchkey wrong = Latchkey.builder()
                .sentinel(sentinel.masterName(), sentinel.sentinelAddresses())
                .credentials("app", "wrong")
                .build()) {
            assertThrows(LatchkeyException.class, () -> Internals.of(wrong).redis().callSync(c -> c.ping()));
        } catch (LatchkeyException refusedAtConnect) {
            // equally fine: the handshake's AUTH failed
        }
    }

    @Test
    void unknownMasterNameFailsAsUnavailable(EmbeddedRedisSentinel sentinel) {
        assertThrows(LatchkeyUnavailableException.class,
                () -> Latchkey.builder().sentinel("no-such-master", sentinel.sentinelAddresses()).build().close());
    }

    @Test
    void killedPrimaryFailsCommandsAsUnavailableOrTimeoutThenTheSameClientFollowsThePromotion(
            EmbeddedRedisSentinel sentinel) {
        try (Latchkey latchkey = Latchkey.builder().uri(sentinel.sentinelUri())
                .commandTimeout(Duration.ofMillis(500)).build()) {
            EmbeddedRedis killed = sentinel.killPrimary();
            List<Throwable> failures = new ArrayList<>();
            AtomicReference<Long> counter = new AtomicReference<>();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> {
                try {
                    counter.set(Internals.of(latchkey).redis().callSync(c -> c.incr("counter")));
                    return true;
                } catch (LatchkeyException e) {
                    failures.add(e);
                    return false;
                }
            });
            assertFalse(failures.isEmpty(), "the outage was seen by at least one command");
            for (Throwable f : failures) {
                assertTrue(f instanceof LatchkeyUnavailableException || f instanceof LatchkeyTimeoutException,
                        "a failure during failover is Unavailable or Timeout, was " + f);
            }
            EmbeddedRedis promoted = sentinel.primary();
            assertNotSame(killed, promoted);
            // the write that reported success landed on the promoted replica
            assertEquals(String.valueOf(counter.get()), promoted.command("GET", "counter"));
        }
    }

    @Test
    void invalidSentinelOptionsAreRejectedBeforeAnyConnection() {
        Latchkey.Builder b = Latchkey.builder();
        assertThrows(NullPointerException.class, () -> b.sentinel(null, List.of("h:1")));
        assertThrows(NullPointerException.class, () -> b.sentinel("m", null));
        assertThrows(IllegalArgumentException.class, () -> b.sentinel(" ", List.of("h:1")));
        assertThrows(IllegalArgumentException.class, () -> b.sentinel("m", List.of()));
        assertThrows(IllegalArgumentException.class, () -> b.sentinel("m", List.of("no-port")));
        assertThrows(IllegalArgumentException.class, () -> b.sentinel("m", List.of("h:0")));
        assertThrows(IllegalArgumentException.class, () -> b.sentinel("m", List.of(":26379")));
        assertThrows(IllegalArgumentException.class, () -> b.credentials("u", ""));
        assertThrows(NullPointerException.class, () -> b.credentials("u", null));
        assertThrows(IllegalArgumentException.class, () -> b.credentials(" ", "pw"));
        IllegalStateException both = assertThrows(IllegalStateException.class,
                () -> Latchkey.builder().uri("redis://h:1").sentinel("m", List.of("h:26379")).build());
        assertTrue(both.getMessage().contains("alternatives"), both.getMessage());
        assertThrows(IllegalStateException.class,
                () -> Latchkey.builder().sentinel("m", List.of("[::1]:26379")).cluster(true).build());
        assertThrows(IllegalStateException.class,
                () -> Latchkey.builder().uri("redis-sentinel://h:26379#m").cluster(true).build());
    }
}
