package io.latchkey.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import io.latchkey.core.spi.Internals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.testing.EmbeddedRedis;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** No password in any message, cause or stack trace of what the builder, connecting or toString produce. */
class SecretRedactionTest {

    /** Every password below contains this; it must appear nowhere. */
    private static final String SECRET = "Pw7xQ9zK";

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {
        "redis://user:Pw7xQ9zK@local host:6379",          // a space in the host
        "redis://user:Pw7xQ9zK%zz@host:6379",             // a bad escape in the password
        "redis://user:Pw7xQ9zK%@host:6379",               // a stray %
        "redis://user:Pw7xQ9zK^@host:6379",               // ^
        "redis://user:Pw7xQ9zK@[::1:6379",                // an unclosed [
        "redis://user:Pw7xQ9zK@host:6379/%",              // a stray % in the path
        "redis://user:Pw7 xQ9zK@host:6379",               // a space inside the password
        "redis://user:Pw7xQ9zK@host:6379#frag ment",      // a space in the fragment
        "redis://user:Pw7xQ9zK@host:6379/abc",            // a database that is not a number
        "rediss://:Pw7xQ9zK@host:99999",                  // a port out of range
        "redis://user:Pw7xQ9zK@",                         // no host
        "redis://Pw7xQ9zK^@host:6379",                    // password-only user information
        "redis://user:Pw7xQ9zK@host:6379?verifyPeer=bogus%zz", // a bad query
        "rediss://user:Pw7xQ9zK@host:6379?verifyPeer=maybe", // an unknown verify mode
        "redis-sentinel://user:Pw7xQ9zK@host:26379,h 2:1#m", // sentinel form with a space
        "redis://us er:Pw7xQ9zK@host:6379"                 // a space in the user name
    })
    void malformedUrisNeverEchoThePassword(String uri) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Latchkey.builder().uri(uri));
        assertNoSecret(e);
        assertTrue(e.getMessage().startsWith("uri is not a valid Redis URI"), e.getMessage());
        assertTrue(e.getMessage().contains(ConnectionUri.MASK), "the URI is quoted, redacted: " + e.getMessage());
    }

    @Test
    void redactionMasksOnlyThePassword() {
        assertEquals("redis://user:***@host:6379/0", ConnectionUri.redact("redis://user:secret@host:6379/0"));
        assertEquals("redis://***@host", ConnectionUri.redact("redis://secret@host"));
        assertEquals("redis://user:***@host", ConnectionUri.redact("redis://user:p@ss:w@host"), "last @ wins");
        assertEquals("redis://host:6379", ConnectionUri.redact("redis://host:6379"));
        assertEquals("user:***@host", ConnectionUri.redact("user:secret@host"), "no scheme");
        assertEquals("cannot reach redis://u:***@h (***)",
                ConnectionUri.redactIn("cannot reach redis://u:a%2Fb@h (a/b)", "redis://u:a%2Fb@h"),
                "the decoded password is masked too");
    }

    @Test
    void failedConnectionsNeverEchoThePassword() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String unreachable = "redis://user:" + SECRET + "@127.0.0.1:" + port;
        assertNoSecret(assertThrows(LatchkeyException.class, () -> Latchkey.connect(unreachable)));
        try (EmbeddedRedis redis = EmbeddedRedis.builder().password("right-one").start()) {
            String wrong = "redis://default:" + SECRET + "@127.0.0.1:" + redis.port();
            assertNoSecret(assertThrows(LatchkeyException.class, () -> {
                try (Latchkey lk = Latchkey.connect(wrong)) {
                    Internals.of(lk).redis().callSync(c -> c.ping());
                }
            }));
            String right = "redis://default:right-one@127.0.0.1:" + redis.port();
            try (Latchkey lk = Latchkey.connect(right)) {
                assertFalse(lk.toString().contains("right-one"), lk.toString());
            }
        }
    }

    @Test
    void tlsOptionsThatWouldNotApplyAreRefusedWithoutEchoingThePassword() throws Exception {
        Path pem = Files.writeString(dir.resolve("ca.pem"), "not checked before build");
        IllegalArgumentException plain = assertThrows(IllegalArgumentException.class, () -> Latchkey.builder()
                .uri("redis://user:" + SECRET + "@127.0.0.1:1").trustedCertificates(pem).build());
        assertTrue(plain.getMessage().contains("trustedCertificates needs a TLS URI"), plain.getMessage());
        assertNoSecret(plain);
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> Latchkey.builder()
                .uri("rediss://user:" + SECRET + "@127.0.0.1:1?verifyPeer=NONE").build());
        assertTrue(none.getMessage().contains("insecureSkipVerify(true)"), none.getMessage());
        assertNoSecret(none);
        IllegalArgumentException both = assertThrows(IllegalArgumentException.class, () -> Latchkey.builder()
                .uri("rediss://127.0.0.1:1").trustedCertificates(pem).insecureSkipVerify(true).build());
        assertTrue(both.getMessage().contains("no effect"), both.getMessage());
        // allowed deliberately, it gets as far as connecting (nothing listens on port 1)
        assertThrows(LatchkeyException.class, () -> Latchkey.builder()
                .uri("rediss://127.0.0.1:1?verifyPeer=NONE").insecureSkipVerify(true).build());
    }

    private static void assertNoSecret(Throwable e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        assertFalse(trace.toString().contains(SECRET), "the password leaks:\n" + trace);
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertFalse(String.valueOf(t.getMessage()).contains(SECRET), "the password leaks in " + t);
            for (Throwable s : t.getSuppressed()) {
                assertNoSecret(s);
            }
        }
    }
}
