package io.latchkey.testing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisConnectionStateListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultProxyTest {

    private static final Duration SHORT = Duration.ofMillis(200);
    private static EmbeddedRedis redis;
    private FaultProxy proxy;

    @BeforeAll
    static void startRedis() {
        redis = EmbeddedRedis.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void startProxy() {
        redis.flushAll();
        proxy = FaultProxy.start(redis);
    }

    @AfterEach
    void stopProxy() {
        proxy.close();
    }

    @Test
    void passForwardsBothWays() {
        assertEquals("redis://127.0.0.1:" + proxy.port(), proxy.uri());
        assertEquals(FaultProxy.Mode.PASS, proxy.mode());
        try (Clients.Conn c = Clients.connect(proxy.uri(), Duration.ofSeconds(2))) {
            c.sync().set("k", "v");
            assertEquals("v", c.sync().get("k"));
            assertEquals("v", redis.command("GET", "k"));
            assertEquals(1, proxy.connectionsAccepted());
            assertEquals(1, proxy.openConnections());
            assertTrue(proxy.bytesForwarded() > 0);
        }
    }

    @Test
    void delayAddsAtLeastTheDelay() {
        try (Clients.Conn c = Clients.connect(proxy.uri(), Duration.ofSeconds(5))) {
            c.sync().ping();
            proxy.delay(Duration.ofMillis(150));
            assertEquals(FaultProxy.Mode.DELAY, proxy.mode());
            long start = System.nanoTime();
            assertEquals("PONG", c.sync().ping());
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(tookMs >= 300, "request and reply each delayed 150 ms, took " + tookMs + " ms");
        }
    }

    @Test
    void blackholeTimesOutAndPassHealsByClosing() {
        try (Clients.Conn c = Clients.connect(proxy.uri(), SHORT)) {
            assertEquals("PONG", c.sync().ping());
            proxy.mode(FaultProxy.Mode.BLACKHOLE);
            assertThrows(RedisCommandTimeoutException.class, () -> c.sync().set("k", "lost"));
            assertNull(redis.command("GET", "k"), "the server never saw the discarded command");
            long accepted = proxy.connectionsAccepted();
            proxy.mode(FaultProxy.Mode.PASS);
            await().atMost(Duration.ofSeconds(5)).ignoreExceptions().until(() -> "PONG".equals(c.sync().ping()));
            assertTrue(proxy.connectionsAccepted() > accepted, "the broken connection was closed and the client reconnected");
            c.sync().set("k", "v");
            assertEquals("v", redis.command("GET", "k"));
        }
    }

    @Test
    void freezeTimesOutAndPassHealsByClosing() {
        try (Clients.Conn c = Clients.connect(proxy.uri(), SHORT)) {
            assertEquals("PONG", c.sync().ping());
            proxy.mode(FaultProxy.Mode.FREEZE);
            assertThrows(RedisCommandTimeoutException.class, () -> c.sync().set("k", "stuck"));
            long accepted = proxy.connectionsAccepted();
            proxy.mode(FaultProxy.Mode.PASS);
            await().atMost(Duration.ofSeconds(5)).ignoreExceptions().until(() -> "PONG".equals(c.sync().ping()));
            assertTrue(proxy.connectionsAccepted() > accepted, "the frozen connection was closed and the client reconnected");
        }
    }

    @Test
    void freezeStopsReadingSoBytesAreNeverForwarded() throws Exception {
        try (Socket s = rawConnect()) {
            roundTrip(s, "PING");
            proxy.mode(FaultProxy.Mode.FREEZE);
            long forwarded = proxy.bytesForwarded();
            s.getOutputStream().write(command("SET", "k", "v"));
            s.setSoTimeout(300);
            assertThrows(java.net.SocketTimeoutException.class, () -> s.getInputStream().read());
            assertEquals(forwarded, proxy.bytesForwarded());
            assertNull(redis.command("GET", "k"));
        }
    }

    @Test
    void resetAbortsConnectionsWithRst() throws Exception {
        try (Socket s = rawConnect()) {
            roundTrip(s, "PING");
            proxy.mode(FaultProxy.Mode.RESET);
            assertThrows(SocketException.class, () -> readUntilError(s));
        }
        // new connections are reset too (the RST may already surface in connect)
        assertThrows(SocketException.class, () -> {
            try (Socket s = rawConnect()) {
                readUntilError(s);
            }
        });
    }

    @Test
    void resetIsSeenByLettuceWhichReconnectsAfterwards() throws Exception {
        try (Clients.Conn c = Clients.connect(proxy.uri(), SHORT)) {
            assertEquals("PONG", c.sync().ping());
            CountDownLatch disconnected = disconnectLatch(c);
            proxy.mode(FaultProxy.Mode.RESET);
            assertTrue(disconnected.await(5, TimeUnit.SECONDS));
            assertThrows(io.lettuce.core.RedisException.class, () -> c.sync().ping());
            proxy.mode(FaultProxy.Mode.PASS);
            await().atMost(Duration.ofSeconds(5)).ignoreExceptions().until(() -> "PONG".equals(c.sync().ping()));
        }
    }

    @Test
    void closeSendsFin() throws Exception {
        try (Socket s = rawConnect()) {
            roundTrip(s, "PING");
            proxy.mode(FaultProxy.Mode.CLOSE);
            s.setSoTimeout(5000);
            assertEquals(-1, s.getInputStream().read());
        }
        try (Socket s = rawConnect()) {
            s.setSoTimeout(5000);
            assertEquals(-1, s.getInputStream().read());
        }
        try (Clients.Conn c = connectAfterPass()) {
            CountDownLatch disconnected = disconnectLatch(c);
            proxy.mode(FaultProxy.Mode.CLOSE);
            assertTrue(disconnected.await(5, TimeUnit.SECONDS));
            proxy.mode(FaultProxy.Mode.PASS);
            await().atMost(Duration.ofSeconds(5)).ignoreExceptions().until(() -> "PONG".equals(c.sync().ping()));
        }
    }

    @Test
    void dropNextReplyThenCloseMakesLettuceReplayTheCommand() {
        try (Clients.Conn c = Clients.connect(proxy.uri(), Duration.ofSeconds(5))) {
            assertEquals("PONG", c.sync().ping());
            proxy.mode(FaultProxy.Mode.DROP_NEXT_REPLY_THEN_CLOSE);
            long seen = c.sync().incr("counter"); // sent once by us, executed twice by the server
            assertEquals(2L, seen);
            assertEquals("2", redis.command("GET", "counter"));
            assertEquals(FaultProxy.Mode.PASS, proxy.mode());
            assertEquals(3L, c.sync().incr("counter"), "back to PASS: no more replays");
        }
    }

    @Test
    void dropNextReplyThenResetRunsTheCommandAndAbortsTheConnection() throws Exception {
        try (Socket s = rawConnect()) {
            roundTrip(s, "PING");
            proxy.mode(FaultProxy.Mode.DROP_NEXT_REPLY_THEN_RESET);
            s.getOutputStream().write("*2\r\n$4\r\nINCR\r\n$7\r\ncounter\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            s.setSoTimeout(5000);
            // an RST, not a FIN: the read fails instead of answering end-of-stream, and no reply arrives first
            assertThrows(SocketException.class, () -> s.getInputStream().read());
        }
        assertEquals("1", redis.command("GET", "counter"), "the command ran before the reset");
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.mode() == FaultProxy.Mode.PASS);
    }

    @Test
    void refuseRejectsConnectsUntilPass() throws Exception {
        try (Socket existing = rawConnect()) {
            roundTrip(existing, "PING");
            proxy.mode(FaultProxy.Mode.REFUSE);
            existing.setSoTimeout(5000);
            assertEquals(-1, existing.getInputStream().read(), "existing connections are closed");
            assertThrows(ConnectException.class, this::rawConnect);
            assertThrows(RedisConnectionException.class, () -> Clients.connect(proxy.uri(), SHORT).close());
        }
        proxy.mode(FaultProxy.Mode.PASS);
        try (Socket s = rawConnect()) {
            assertEquals("+PONG", roundTrip(s, "PING"));
        }
    }

    @Test
    void keepsThePasswordOfItsTarget() {
        try (EmbeddedRedis secured = EmbeddedRedis.builder().password("pw").start();
             FaultProxy p = FaultProxy.start(secured);
             Clients.Conn c = Clients.connect(p.uri(), Duration.ofSeconds(2))) {
            assertEquals("redis://:pw@127.0.0.1:" + p.port(), p.uri());
            assertEquals("PONG", c.sync().ping());
        }
    }

    @Test
    void unreachableTargetResetsClients() throws Exception {
        try (EmbeddedRedis gone = EmbeddedRedis.start(); FaultProxy p = FaultProxy.start("127.0.0.1", gone.port())) {
            gone.kill();
            assertThrows(SocketException.class, () -> {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", p.port()), 1000);
                    readUntilError(s);
                }
            });
        }
    }

    // ------------------------------------------------------------------ helpers

    private Clients.Conn connectAfterPass() {
        proxy.mode(FaultProxy.Mode.PASS);
        return Clients.connect(proxy.uri(), SHORT);
    }

    private static CountDownLatch disconnectLatch(Clients.Conn c) {
        CountDownLatch latch = new CountDownLatch(1);
        c.client.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(io.lettuce.core.RedisChannelHandler<?, ?> connection) {
                latch.countDown();
            }

            @Override
            public void onRedisConnected(io.lettuce.core.RedisChannelHandler<?, ?> connection, SocketAddress socketAddress) {
            }

            @Override
            public void onRedisExceptionCaught(io.lettuce.core.RedisChannelHandler<?, ?> connection, Throwable cause) {
            }
        });
        return latch;
    }

    private Socket rawConnect() throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress("127.0.0.1", proxy.port()), 1000);
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    private static byte[] command(String... args) {
        StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            sb.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Sends one command and reads a one-line reply. */
    private static String roundTrip(Socket s, String... args) throws IOException {
        s.setSoTimeout(5000);
        OutputStream out = s.getOutputStream();
        out.write(command(args));
        out.flush();
        InputStream in = s.getInputStream();
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\r') {
            sb.append((char) c);
        }
        in.read(); // \n
        return sb.toString();
    }

    /** Reads until the connection errors; a clean EOF is not an error. */
    private static void readUntilError(Socket s) throws IOException {
        s.setSoTimeout(5000);
        InputStream in = s.getInputStream();
        // writing provokes the RST to surface even if the read races it
        try {
            s.getOutputStream().write(command("PING"));
        } catch (IOException e) {
            throw e;
        }
        while (in.read() >= 0) {
            // drain
        }
        throw new AssertionError("connection closed cleanly (FIN) instead of being reset");
    }
}
