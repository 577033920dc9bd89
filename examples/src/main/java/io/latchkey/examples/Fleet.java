package io.latchkey.examples;

import io.latchkey.core.Latchkey;
import io.latchkey.testing.EmbeddedRedis;
import io.latchkey.testing.EmbeddedRedisNodes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The Redis side of the story: either three embedded {@code redis-server} nodes started here, or the servers given
 * with {@code --redis}. The first node serves every single-node primitive; all of them form the Redlock.
 */
final class Fleet implements AutoCloseable {

    private final EmbeddedRedisNodes embedded;
    private final List<String> uris;
    private final List<Latchkey> clients = new ArrayList<>();

    private Fleet(EmbeddedRedisNodes embedded, List<String> uris) {
        this.embedded = embedded;
        this.uris = List.copyOf(uris);
        // a fresh namespace per run, so a shared server never answers with a previous run's state (keys expire)
        String namespace = "demo-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xFFFFFF));
        try {
            for (String uri : this.uris) {
                clients.add(Latchkey.builder().uri(uri).namespace(namespace).build());
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Starts {@code nodes} embedded servers. */
    static Fleet embedded(int nodes) {
        EmbeddedRedisNodes started = EmbeddedRedisNodes.start(nodes);
        try {
            return new Fleet(started, started.uris());
        } catch (RuntimeException e) {
            started.close();
            throw e;
        }
    }

    /** Uses servers that are already running. */
    static Fleet external(List<String> uris) {
        return new Fleet(null, uris);
    }

    /** The client every single-node section uses. */
    Latchkey main() {
        return clients.get(0);
    }

    /** One client per independent node. */
    List<Latchkey> nodes() {
        return clients;
    }

    List<String> uris() {
        return uris;
    }

    /** The embedded node {@code i}, which the demo may stop; empty for servers it does not own. */
    Optional<EmbeddedRedis> ownedNode(int i) {
        return embedded == null ? Optional.empty() : Optional.of(embedded.get(i));
    }

    boolean isEmbedded() {
        return embedded != null;
    }

    @Override
    public void close() {
        clients.forEach(Latchkey::close);
        if (embedded != null) {
            embedded.close();
        }
    }
}
