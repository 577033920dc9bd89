package io.latchkey.chaos;

import io.latchkey.core.Latchkey;
import io.latchkey.testing.EmbeddedRedis;
import io.latchkey.testing.FaultProxy;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;

/**
 * The cluster under test: independent redis-server nodes, and for every (client, node) pair its own
 * {@link FaultProxy} and {@link Latchkey} client, so any partition (including asymmetric ones where two clients see
 * different majorities) is a set of proxy modes. Each node also has an unproxied admin client for setup and final
 * checks, and there is optionally one extra "resource" node the nemesis never touches (where fenced resources live).
 */
final class ChaosNodes implements AutoCloseable {

    private final List<EmbeddedRedis> nodes = new ArrayList<>();
    private final boolean[] aof;
    private final FaultProxy[][] proxies;
    private final Latchkey[][] clients;
    private final Latchkey[] admin;
    private final ClientResources resources;
    private final Duration commandTimeout;
    private EmbeddedRedis resourceNode;
    private Latchkey resourceClient;

    private ChaosNodes(int nodeCount, int clientCount, IntPredicate aofNode, Duration commandTimeout) {
        this.aof = new boolean[nodeCount];
        this.proxies = new FaultProxy[clientCount][nodeCount];
        this.clients = new Latchkey[clientCount][nodeCount];
        this.admin = new Latchkey[nodeCount];
        this.commandTimeout = commandTimeout;
        // Lettuce's default reconnect backoff grows to 30 s; after a long outage that would outlast the healthy
        // periods of the schedule, so cap it well below a lease.
        this.resources = DefaultClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(5), Duration.ofMillis(200), 2, TimeUnit.MILLISECONDS))
                .build();
        for (int n = 0; n < nodeCount; n++) {
            aof[n] = aofNode.test(n);
        }
    }

    /** Starts the nodes, one proxy per (client, node) and the clients. */
    static ChaosNodes start(int nodeCount, int clientCount, IntPredicate aofNode, Duration commandTimeout,
                            boolean withResourceNode) {
        ChaosNodes c = new ChaosNodes(nodeCount, clientCount, aofNode, commandTimeout);
        try {
            for (int n = 0; n < nodeCount; n++) {
                c.nodes.add(EmbeddedRedis.builder().appendOnly(c.aof[n]).start());
            }
            for (int n = 0; n < nodeCount; n++) {
                c.admin[n] = c.newClient(c.nodes.get(n).uri());
                for (int k = 0; k < clientCount; k++) {
                    c.proxies[k][n] = FaultProxy.start(c.nodes.get(n));
                    c.clients[k][n] = c.newClient(c.proxies[k][n].uri());
                }
            }
            if (withResourceNode) {
                c.resourceNode = EmbeddedRedis.start();
                c.resourceClient = c.newClient(c.resourceNode.uri());
            }
            return c;
        } catch (RuntimeException | Error e) {
            c.close();
            throw e;
        }
    }

    private Latchkey newClient(String uri) {
        // the handshake runs under the command timeout: on a loaded CI box, give setup a few tries
        for (int attempt = 1; ; attempt++) {
            try {
                return connect(uri);
            } catch (RuntimeException e) {
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }

    private Latchkey connect(String uri) {
        // The pub/sub connection is left to open lazily, on the first waiter, as in production: that path once
        // deadlocked on shared event loops (found here; fixed in core e876331), so the suite keeps exercising it.
        return Latchkey.builder().uri(uri).namespace("chaos").commandTimeout(commandTimeout)
                .connectTimeout(Duration.ofSeconds(2)).clientResources(resources).build();
    }

    int size() {
        return nodes.size();
    }

    int clientCount() {
        return clients.length;
    }

    EmbeddedRedis node(int n) {
        return nodes.get(n);
    }

    boolean aof(int n) {
        return aof[n];
    }

    FaultProxy proxy(int client, int node) {
        return proxies[client][node];
    }

    /** Client {@code client}'s connection to node {@code node}, through its own proxy. */
    Latchkey client(int client, int node) {
        return clients[client][node];
    }

    /** Client {@code client}'s connections to every node, in node order. */
    List<Latchkey> clientToAll(int client) {
        return List.of(clients[client]);
    }

    /** An unproxied connection to node {@code node}, for setup and final checks. */
    Latchkey admin(int node) {
        return admin[node];
    }

    /** The connection to the node the nemesis never touches (fenced resources), if started. */
    Latchkey resource() {
        if (resourceClient == null) {
            throw new IllegalStateException("started without a resource node");
        }
        return resourceClient;
    }

    /** Every node's unproxied admin client by label ({@code node0}, …, {@code resource}), in node order. */
    Map<String, Latchkey> admins() {
        Map<String, Latchkey> m = new LinkedHashMap<>();
        for (int n = 0; n < admin.length; n++) {
            m.put("node" + n, admin[n]);
        }
        if (resourceClient != null) {
            m.put("resource", resourceClient);
        }
        return m;
    }

    /** Whether the untouched resource node was started. */
    boolean hasResourceNode() {
        return resourceClient != null;
    }

    Duration commandTimeout() {
        return commandTimeout;
    }

    /** Every proxy back to PASS, every paused node resumed, every dead node restarted. */
    void healAll() {
        for (FaultProxy[] row : proxies) {
            for (FaultProxy p : row) {
                if (p.mode() != FaultProxy.Mode.PASS) {
                    p.mode(FaultProxy.Mode.PASS);
                }
            }
        }
        for (EmbeddedRedis n : nodes) {
            if (!n.isRunning()) {
                n.restart();
            } else if (n.isPaused()) {
                n.resume();
            }
        }
    }

    @Override
    public void close() {
        for (Latchkey[] row : clients) {
            for (Latchkey l : row) {
                closeQuietly(l);
            }
        }
        for (Latchkey l : admin) {
            closeQuietly(l);
        }
        closeQuietly(resourceClient);
        try {
            resources.shutdown(0, 2, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // best effort
        }
        for (FaultProxy[] row : proxies) {
            for (FaultProxy p : row) {
                closeQuietly(p);
            }
        }
        nodes.forEach(EmbeddedRedis::close);
        closeQuietly(resourceNode);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing is best effort
            }
        }
    }
}
