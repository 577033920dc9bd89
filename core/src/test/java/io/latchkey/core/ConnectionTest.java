package io.latchkey.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.spi.Internals;
import io.latchkey.testing.EmbeddedRedis;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Connecting, authenticating, namespaces, server time and how outages surface. */
class ConnectionTest {

    @Test
    void passwordProtectedServerNeedsTheUriPassword() {
        try (EmbeddedRedis redis = EmbeddedRedis.builder().password("s3cret").start()) {
            try (Latchkey lk = Latchkey.connect(redis.uri())) {
                assertEquals("PONG", Internals.of(lk).redis().callSync(c -> c.ping()));
            }
            String noPassword = "redis://127.0.0.1:" + redis.port();
            assertThrows(LatchkeyException.class, () -> {
                try (Latchkey lk = Latchkey.connect(noPassword)) {
                    Internals.of(lk).redis().callSync(c -> c.ping());
                }
            });
        }
    }

    @Test
    void aclUserAndPasswordAuthenticate() {
        try (EmbeddedRedis redis = EmbeddedRedis.start();
             Latchkey admin = Latchkey.connect(redis.uri())) {
            Internals.of(admin).redis().callSync(c -> c.aclSetuser("app", io.lettuce.core.AclSetuserArgs.Builder.on()
                    .addPassword("app-pw").allKeys().allChannels().allCommands()));
            try (Latchkey app = Latchkey.connect("redis://app:app-pw@127.0.0.1:" + redis.port())) {
                assertEquals("app", Internals.of(app).redis().callSync(c -> c.aclWhoami()));
            }
            assertThrows(LatchkeyException.class, () -> {
                try (Latchkey app = Latchkey.connect("redis://app:wrong@127.0.0.1:" + redis.port())) {
                    Internals.of(app).redis().callSync(c -> c.ping());
                }
            });
        }
    }

    @Test
    void aWrongPasswordIsAConfigurationErrorNamingTheReasonNotThePassword() {
        try (EmbeddedRedis redis = EmbeddedRedis.start();
             Latchkey admin = Latchkey.connect(redis.uri())) {
            Internals.of(admin).redis().callSync(c -> c.aclSetuser("app", io.lettuce.core.AclSetuserArgs.Builder.on()
                    .addPassword("app-pw").allKeys().allChannels().allCommands()));
            LatchkeyConfigurationException e = assertThrows(LatchkeyConfigurationException.class,
                    () -> Latchkey.connect("redis://app:Wr0ngSecret@127.0.0.1:" + redis.port()).close());
            assertTrue(e.getMessage().contains("WRONGPASS"), e.getMessage());
            assertFalse(e.getMessage().contains("Wr0ngSecret"), e.getMessage());
            assertFalse(io.latchkey.core.spi.Failures.isTransient(e), "not a transient outage");
        }
    }

    @Test
    void aBadDatabaseIndexIsAConfigurationError() {
        try (EmbeddedRedis redis = EmbeddedRedis.start()) {
            LatchkeyConfigurationException e = assertThrows(LatchkeyConfigurationException.class,
                    () -> Latchkey.connect(redis.uri() + "/99").close());
            assertTrue(e.getMessage().contains("DB index"), e.getMessage());
        }
    }

    @Test
    void aClosedClientSaysSoAndSendsNothing() {
        try (EmbeddedRedis redis = EmbeddedRedis.start()) {
            Latchkey lk = Latchkey.connect(redis.uri());
            Internals.of(lk).redis().callSync(c -> c.ping());
            lk.close();
            assertThrows(LatchkeyClosedException.class, () -> Internals.of(lk).redis().callSync(c -> c.set("after-close", "x")));
            assertEquals(null, redis.command("GET", "after-close"));
        }
    }

    @Test
    void unreachableServerFailsFastAsUnavailable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String uri = "redis://127.0.0.1:" + port;
        assertThrows(LatchkeyUnavailableException.class, () -> Latchkey.connect(uri));
    }

    @Test
    void pausedServerIsATimeoutWithUnknownOutcome() {
        try (EmbeddedRedis redis = EmbeddedRedis.start();
             Latchkey lk = Latchkey.builder().uri(redis.uri()).commandTimeout(Duration.ofMillis(200)).build()) {
            redis.pause();
            try {
                assertThrows(LatchkeyTimeoutException.class, () -> Internals.of(lk).redis().callSync(c -> c.set("k", "v")));
            } finally {
                redis.resume();
            }
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> "PONG".equals(Internals.of(lk).redis().callSync(c -> c.ping())));
        }
    }

    @Test
    void killedServerRejectsCommandsInsteadOfQueueingThem() {
        try (EmbeddedRedis redis = EmbeddedRedis.start();
             Latchkey lk = Latchkey.builder().uri(redis.uri()).commandTimeout(Duration.ofSeconds(5)).build()) {
            Internals.of(lk).redis().callSync(c -> c.ping());
            redis.kill();
            // once Lettuce noticed the disconnect, commands are rejected at once, not after the 5 s timeout
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptionsInstanceOf(LatchkeyTimeoutException.class)
                    .until(() -> {
                        long start = System.nanoTime();
                        try {
                            Internals.of(lk).redis().callSync(c -> c.ping());
                            return false;
                        } catch (LatchkeyUnavailableException e) {
                            return System.nanoTime() - start < Duration.ofSeconds(1).toNanos();
                        }
                    });
            redis.restart();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> "PONG".equals(Internals.of(lk).redis().callSync(c -> c.ping())));
        }
    }

    @Test
    void serverTimeIsMicroseconds() {
        try (EmbeddedRedis redis = EmbeddedRedis.start(); Latchkey lk = Latchkey.connect(redis.uri())) {
            long micros = lk.serverTimeMicros();
            long nowMicros = System.currentTimeMillis() * 1000;
            assertTrue(Math.abs(micros - nowMicros) < 5_000_000, "server and local clocks on one machine agree");
        }
    }

    @Test
    void builderValidatesBeforeConnecting() {
        assertThrows(IllegalStateException.class, () -> Latchkey.builder().build());
        assertThrows(NullPointerException.class, () -> Latchkey.builder().uri(null));
        assertThrows(IllegalArgumentException.class, () -> Latchkey.builder().uri(" "));
        assertThrows(IllegalArgumentException.class, () -> Latchkey.builder().namespace("a{b"));
        assertThrows(IllegalArgumentException.class, () -> Latchkey.builder().commandTimeout(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> Latchkey.builder().commandTimeout(Duration.ofNanos(1)));
        assertThrows(IllegalArgumentException.class,
                () -> Latchkey.builder().commandTimeout(Duration.ofMillis(Long.MAX_VALUE)));
        assertThrows(IllegalArgumentException.class,
                () -> Latchkey.builder().connectTimeout(Duration.ofSeconds(Long.MAX_VALUE)));
        assertThrows(IllegalArgumentException.class, () -> Latchkey.builder().uri("http://nope"));
    }

    @Test
    void namespaceAndCloseAreObservable() {
        try (EmbeddedRedis redis = EmbeddedRedis.start()) {
            Latchkey lk = Latchkey.builder().uri(redis.uri()).namespace("orders").build();
            assertEquals("orders", lk.namespace());
            assertEquals("orders:{x}:lock", Internals.of(lk).keys().key("x", "lock"));
            assertFalse(lk.isClosed());
            lk.close();
            lk.close(); // idempotent
            assertTrue(lk.isClosed());
        }
    }
}
