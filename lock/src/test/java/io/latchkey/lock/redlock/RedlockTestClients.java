package io.latchkey.lock.redlock;

import static org.awaitility.Awaitility.await;

import io.latchkey.core.Latchkey;
import io.latchkey.core.spi.Internals;
import io.latchkey.testing.FaultProxy;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Redlock test clients with short timeouts, closed together. */
final class RedlockTestClients implements AutoCloseable {

    static final Duration NODE_TIMEOUT = Duration.ofMillis(80);
    static final RedlockOptions FAST = RedlockOptions.builder().nodeTimeout(NODE_TIMEOUT)
            .retryBackoff(Duration.ofMillis(5), Duration.ofMillis(40)).build();

    /**
     * The wait of acquisitions that must succeed: on a loaded machine a healthy node can miss the short per-node
     * timeout, and Redlock then simply tries again.
     */
    static final Duration WAIT = Duration.ofSeconds(3);

    final List<Latchkey> clients = new ArrayList<>();

    /** One client per URI, 1 s command timeout; the first may report to {@code registry}. */
    static RedlockTestClients connect(List<String> uris, MeterRegistry registry) {
        RedlockTestClients c = new RedlockTestClients();
        try {
            for (String uri : uris) {
                // a generous connect timeout: the first connection of a JVM on a loaded machine can take seconds
                Latchkey.Builder b = Latchkey.builder().uri(uri).commandTimeout(Duration.ofSeconds(1))
                        .connectTimeout(Duration.ofSeconds(20));
                if (registry != null && c.clients.isEmpty()) {
                    b.meterRegistry(registry);
                }
                c.clients.add(b.build());
            }
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    static RedlockTestClients connect(List<String> uris) {
        return connect(uris, null);
    }

    static List<String> uris(List<FaultProxy> proxies, int n) {
        return proxies.subList(0, n).stream().map(FaultProxy::uri).toList();
    }

    Redlock redlock() {
        return Redlock.of(clients, FAST);
    }

    /** Waits until every client answers again (after proxies healed). */
    void awaitConnected() {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10)).ignoreExceptions()
                .until(() -> clients.stream().allMatch(c -> "PONG".equals(Internals.of(c).redis().callSync(x -> x.ping()))));
    }

    @Override
    public void close() {
        clients.forEach(Latchkey::close);
    }
}
