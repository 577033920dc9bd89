package io.latchkey.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.latchkey.core.spi.Internals;
import io.latchkey.testing.EmbeddedRedis;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** rediss:// with a server certificate the client must verify. Needs openssl on the PATH to make the certificate. */
class TlsTest {

    @TempDir
    Path dir;

    @Test
    void connectsOverTlsWhenTheCertificateIsTrustedAndRefusesOtherwise() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        assumeTrue(makeCertificate(cert, key), "openssl is not available to make a test certificate");
        int tlsPort;
        try (ServerSocket s = new ServerSocket(0)) {
            tlsPort = s.getLocalPort();
        }
        try (EmbeddedRedis redis = EmbeddedRedis.builder().config(
                "tls-port " + tlsPort,
                "tls-cert-file " + cert,
                "tls-key-file " + key,
                "tls-ca-cert-file " + cert,
                "tls-auth-clients no").start()) {
            String uri = "rediss://127.0.0.1:" + tlsPort;
            try (Latchkey lk = Latchkey.builder().uri(uri).trustedCertificates(cert).build()) {
                assertEquals("PONG", Internals.of(lk).redis().callSync(c -> c.ping()));
                Internals.of(lk).redis().callSync(c -> c.set("tls", "ok"));
                assertEquals("ok", Internals.of(lk).redis().callSync(c -> c.get("tls")));
            }
            // an untrusted (self-signed) certificate is refused: peer verification is on by default
            // ... and that is a configuration error naming TLS, not a transient "unavailable"
            LatchkeyConfigurationException e = assertThrows(LatchkeyConfigurationException.class,
                    () -> Latchkey.connect(uri).close());
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("TLS"), e.getMessage());
            // switching verification off takes code, never a URI parameter alone
            assertThrows(IllegalArgumentException.class, () -> Latchkey.connect(uri + "?verifyPeer=NONE"));
            try (Latchkey lk = Latchkey.builder().uri(uri + "?verifyPeer=NONE").insecureSkipVerify(true).build()) {
                assertEquals("PONG", Internals.of(lk).redis().callSync(c -> c.ping()));
            }
            try (Latchkey lk = Latchkey.builder().uri(uri).insecureSkipVerify(true).build()) {
                assertEquals("PONG", Internals.of(lk).redis().callSync(c -> c.ping()));
            }
        }
    }

    private static boolean makeCertificate(Path cert, Path key) {
        try {
            Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                    "-keyout", key.toString(), "-out", cert.toString(), "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1")
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 && Files.size(cert) > 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
