package io.latchkey.testing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EmbeddedRedisTest {

    private static final Duration SHORT = Duration.ofMillis(200);

    @Test
    void startsAndAnswersCommands() {
        try (EmbeddedRedis redis = EmbeddedRedis.start(); Clients.Conn c = Clients.connect(redis.uri(), Duration.ofSeconds(2))) {
            assertEquals("PONG", c.sync().ping());
            c.sync().set("k", "v");
            assertEquals("v", c.sync().get("k"));
            assertEquals("redis://127.0.0.1:" + redis.port(), redis.uri());
            assertEquals("127.0.0.1", redis.host());
            assertTrue(redis.pid() > 0);
            assertTrue(redis.isRunning());
            assertTrue(redis.version().matches("\\d+\\.\\d+\\.\\d+"), redis.version());
            assertEquals(redis.version(), Resp.infoField(c.sync().info("server"), "redis_version"));
            assertTrue(Files.isExecutable(Path.of(EmbeddedRedis.serverBinary())));
            // persistence is off
            assertEquals("", c.sync().configGet("save").get("save"));
            assertEquals("no", c.sync().configGet("appendonly").get("appendonly"));
        }
    }

    @Test
    void binaryOverrideIsUsedWhenSet() {
        String override = System.getenv("LATCHKEY_REDIS_SERVER");
        try (EmbeddedRedis redis = EmbeddedRedis.start()) {
            if (override != null && !override.isBlank()) {
                assertEquals(Path.of(override).toString(), EmbeddedRedis.serverBinary());
            } else {
                assertTrue(EmbeddedRedis.serverBinary().contains("redis-server-6.2"), EmbeddedRedis.serverBinary());
            }
            System.out.println("redis-server " + redis.version() + " from " + EmbeddedRedis.serverBinary());
        }
    }

    @Test
    void closeKillsTheProcessDeletesTheDirAndIsIdempotent() {
        EmbeddedRedis redis = EmbeddedRedis.start();
        long pid = redis.pid();
        Path dir = redis.dataDir();
        redis.close();
        redis.close();
        assertFalse(redis.isRunning());
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        assertFalse(Files.exists(dir));
        assertThrows(IllegalStateException.class, redis::pause);
    }

    @Test
    void pauseIsSeenAsTimeoutAndResumeRecovers() {
        try (EmbeddedRedis redis = EmbeddedRedis.start(); Clients.Conn c = Clients.connect(redis.uri(), SHORT)) {
            assertEquals("PONG", c.sync().ping());
            redis.pause();
            assertTrue(redis.isPaused());
            assertThrows(RedisCommandTimeoutException.class, () -> c.sync().ping());
            redis.resume();
            assertFalse(redis.isPaused());
            await().atMost(Duration.ofSeconds(5)).ignoreExceptions().until(() -> "PONG".equals(c.sync().ping()));
        }
    }

    @Test
    void killRefusesConnectionsAndRestartAnswersOnTheSamePort() throws Exception {
        try (EmbeddedRedis redis = EmbeddedRedis.start()) {
            int port = redis.port();
            long pid = redis.pid();
            redis.kill();
            assertFalse(redis.isRunning());
            assertThrows(ConnectException.class, () -> {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                }
            });
            redis.restart();
            assertEquals(port, redis.port());
            assertTrue(redis.pid() != pid);
            try (Clients.Conn c = Clients.connect(redis.uri(), Duration.ofSeconds(2))) {
                assertEquals("PONG", c.sync().ping());
            }
        }
    }

    @Test
    void restartWithoutAofLosesData() {
        try (EmbeddedRedis redis = EmbeddedRedis.start()) {
            try (Clients.Conn c = Clients.connect(redis.uri(), Duration.ofSeconds(2))) {
                c.sync().set("k", "v");
            }
            redis.restart(Duration.ofMillis(10));
            try (Clients.Conn c = Clients.connect(redis.uri(), Duration.ofSeconds(2))) {
                assertNull(c.sync().get("k"));
            }
        }
    }

    @Test
    void restartWithAofKeepsAcknowledgedWrites() {
        try (EmbeddedRedis redis = EmbeddedRedis.builder().appendOnly(true).start()) {
            assertTrue(redis.appendOnly());
            try (Clients.Conn c = Clients.connect(redis.uri(), Duration.ofSeconds(2))) {
                assertEquals("always", c.sync().configGet("appendfsync").get("appendfsync"));
                c.sync().set("k", "v");
            }
            redis.kill(); // SIGKILL: no shutdown rewrite, only what fsync'd
            redis.restart();
            try (Clients.Conn c = Clients.connect(redis.uri(), Duration.ofSeconds(2))) {
                assertEquals("v", c.sync().get("k"));
            }
        }
    }

    @Test
    void passwordNodeRefusesUnauthenticatedClients() {
        try (EmbeddedRedis redis = EmbeddedRedis.builder().password("s3cret").start()) {
            assertEquals("redis://:s3cret@127.0.0.1:" + redis.port(), redis.uri());
            try (Clients.Conn c = Clients.connect(redis.uri(), Duration.ofSeconds(2))) {
                assertEquals("PONG", c.sync().ping());
            }
            RedisException e = assertThrows(RedisException.class, () -> {
                try (Clients.Conn c = Clients.connect("redis://127.0.0.1:" + redis.port(), Duration.ofSeconds(2))) {
                    c.sync().get("k");
                }
            });
            assertTrue(chain(e).contains("NOAUTH"), chain(e));
        }
    }

    @Test
    void extraConfigAndFixedPort() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (EmbeddedRedis redis = EmbeddedRedis.builder().port(port).config("maxmemory 10mb").start();
             Clients.Conn c = Clients.connect(redis.uri(), Duration.ofSeconds(2))) {
            assertEquals(port, redis.port());
            assertEquals("10485760", c.sync().configGet("maxmemory").get("maxmemory"));
        }
    }

    @Test
    void badConfigFailsWithTheLogTail() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> EmbeddedRedis.builder().config("no-such-directive yes").start());
        assertTrue(e.getMessage().contains("no-such-directive"), e.getMessage());
    }

    @Test
    void independentNodes() {
        try (EmbeddedRedisNodes nodes = EmbeddedRedisNodes.start(3)) {
            assertEquals(3, nodes.size());
            Set<Integer> ports = new HashSet<>();
            for (EmbeddedRedis n : nodes) {
                ports.add(n.port());
                assertEquals("PONG", n.command("PING"));
            }
            assertEquals(3, ports.size());
            nodes.get(0).command("SET", "k", "v");
            assertNull(nodes.get(1).command("GET", "k"));
            assertEquals(3, nodes.uris().size());
        }
    }

    static String chain(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c).append(" | ");
        }
        return sb.toString();
    }
}
