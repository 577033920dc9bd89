package io.latchkey.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A Redis Cluster of masters only (3 by default) made of {@link EmbeddedRedis} nodes: each node has
 * {@code cluster-enabled yes} and its own {@code nodes.conf} in its temp dir; the 16384 slots are split evenly with
 * {@code CLUSTER ADDSLOTS}, the nodes joined with {@code CLUSTER MEET}, and {@link #start()} returns once every node
 * reports {@code cluster_state:ok}.
 *
 * <pre>{@code
 * try (EmbeddedRedisCluster cluster = EmbeddedRedisCluster.start()) {
 *     RedisClusterClient client = RedisClusterClient.create(cluster.uris().stream().map(RedisURI::create).toList());
 * }
 * }</pre>
 */
public final class EmbeddedRedisCluster implements AutoCloseable {

    private static final int SLOTS = 16384;
    private static final Duration FORM_TIMEOUT = Duration.ofSeconds(30);

    private final EmbeddedRedisNodes nodes;

    private EmbeddedRedisCluster(EmbeddedRedisNodes nodes) {
        this.nodes = nodes;
    }

    /** Starts a 3-master cluster. */
    public static EmbeddedRedisCluster start() {
        return start(3);
    }

    /** Starts a cluster of {@code masters} masters (no replicas). */
    public static EmbeddedRedisCluster start(int masters) {
        if (masters < 1) {
            throw new IllegalArgumentException("masters must be >= 1: " + masters);
        }
        EmbeddedRedisNodes nodes = EmbeddedRedisNodes.start(masters, b -> b.clusterBusPort(true).config(
                "cluster-enabled yes", "cluster-config-file nodes.conf", "cluster-node-timeout 5000"));
        try {
            form(nodes);
            return new EmbeddedRedisCluster(nodes);
        } catch (RuntimeException | Error e) {
            nodes.close();
            throw e;
        }
    }

    private static void form(EmbeddedRedisNodes nodes) {
        int n = nodes.size();
        for (int i = 0; i < n; i++) {
            int from = i * SLOTS / n;
            int to = (i + 1) * SLOTS / n - 1;
            List<String> args = new ArrayList<>();
            args.add("CLUSTER");
            args.add("ADDSLOTS"); // 6.2 has no ADDSLOTSRANGE
            for (int s = from; s <= to; s++) {
                args.add(Integer.toString(s));
            }
            nodes.get(i).command(args.toArray(new String[0]));
        }
        EmbeddedRedis first = nodes.get(0);
        for (int i = 1; i < n; i++) {
            first.command("CLUSTER", "MEET", nodes.get(i).host(), Integer.toString(nodes.get(i).port()));
        }
        long deadline = System.nanoTime() + FORM_TIMEOUT.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            boolean allOk = true;
            for (EmbeddedRedis node : nodes) {
                Object info = node.command("CLUSTER", "INFO");
                String state = Resp.infoField(info, "cluster_state");
                String known = Resp.infoField(info, "cluster_known_nodes");
                if (!"ok".equals(state) || !Integer.toString(n).equals(known)) {
                    allOk = false;
                    last = node + ": cluster_state=" + state + " cluster_known_nodes=" + known;
                    break;
                }
            }
            if (allOk) {
                return;
            }
            try {
                Thread.sleep(20); // polling the gossip until it converges; there is nothing to be notified by
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while forming the cluster", e);
            }
        }
        throw new IllegalStateException("cluster did not reach cluster_state:ok within " + FORM_TIMEOUT + "; " + last);
    }

    /** The master nodes, in slot order (node 0 owns the lowest slots). */
    public List<EmbeddedRedis> nodes() {
        return nodes.list();
    }

    /** Every node's URI, usable as seeds for a cluster client. */
    public List<String> uris() {
        return nodes.list().stream().map(EmbeddedRedis::uri).collect(Collectors.toUnmodifiableList());
    }

    /** {@code FLUSHALL} on every master. */
    public void flushAll() {
        nodes.forEach(EmbeddedRedis::flushAll);
    }

    /** Closes every node. Idempotent; never throws. */
    @Override
    public void close() {
        nodes.close();
    }

    @Override
    public String toString() {
        return "EmbeddedRedisCluster" + nodes.list();
    }
}
