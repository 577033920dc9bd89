package io.latchkey.testing;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A Sentinel-managed Redis deployment on {@code 127.0.0.1}: one primary, replicas (2 by default) and sentinels
 * (3 by default, quorum 2), all {@link EmbeddedRedis} processes of the same {@code redis-server} binary (the
 * sentinels run it with {@code --sentinel}).
 *
 * <pre>{@code
 * try (EmbeddedRedisSentinel sentinel = EmbeddedRedisSentinel.start()) {
 *     Latchkey latchkey = Latchkey.connect(sentinel.sentinelUri());   // redis-sentinel://...#latchkey
 *     EmbeddedRedis promoted = sentinel.failover();                     // SENTINEL FAILOVER, waits until done
 *     EmbeddedRedis old = sentinel.killPrimary();                       // SIGKILL; sentinels promote a replica
 *     EmbeddedRedis next = sentinel.awaitPrimaryOtherThan(old);
 * }
 * }</pre>
 *
 * <p>The sentinels judge a primary down after {@link Builder#downAfter(Duration)} (1 s by default) without a
 * reply. Nodes keep no data on disk, as {@link EmbeddedRedis} does by default: a killed primary restarted before
 * the promotion comes back empty, which is exactly the data loss Sentinel deployments without persistence risk.
 * {@link #close()} kills every process, also when {@link Builder#start()} fails half way.
 */
public final class EmbeddedRedisSentinel implements AutoCloseable {

    /** The default name the sentinels monitor the primary under. */
    public static final String DEFAULT_MASTER_NAME = "latchkey";

    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(30);

    private final String masterName;
    private final String password;
    private final List<EmbeddedRedis> dataNodes;
    private final List<EmbeddedRedis> sentinels;
    private final FaultProxy replicationProxy;

    private EmbeddedRedisSentinel(String masterName, String password, List<EmbeddedRedis> dataNodes,
                                  List<EmbeddedRedis> sentinels, FaultProxy replicationProxy) {
        this.masterName = masterName;
        this.replicationProxy = replicationProxy;
        this.password = password;
        this.dataNodes = List.copyOf(dataNodes);
        this.sentinels = List.copyOf(sentinels);
    }

    /** Starts a primary, two replicas and three sentinels with the defaults. */
    public static EmbeddedRedisSentinel start() {
        return builder().start();
    }

    /** A builder for the deployment's options. */
    public static Builder builder() {
        return new Builder();
    }

    /** Options; {@link #start()} returns once the replicas are attached and every sentinel knows all nodes. */
    public static final class Builder {
        private int replicas = 2;
        private int sentinels = 3;
        private String masterName = DEFAULT_MASTER_NAME;
        private String password;
        private Duration downAfter = Duration.ofSeconds(1);
        private final List<String> sentinelConfig = new ArrayList<>();
        private boolean proxiedReplication;

        private Builder() {
        }

        /** Extra lines for every sentinel's config (tests use it to make a start fail half way). */
        Builder sentinelConfig(String... lines) {
            sentinelConfig.addAll(List.of(lines));
            return this;
        }

        /** How many replicas of the primary (default 2, at least 1). */
        public Builder replicas(int replicas) {
            if (replicas < 1) {
                throw new IllegalArgumentException("replicas must be >= 1: " + replicas);
            }
            this.replicas = replicas;
            return this;
        }

        /** How many sentinels (default 3, at least 1); the quorum is a majority of them. */
        public Builder sentinels(int sentinels) {
            if (sentinels < 1) {
                throw new IllegalArgumentException("sentinels must be >= 1: " + sentinels);
            }
            this.sentinels = sentinels;
            return this;
        }

        /** The name the primary is monitored under (default {@value #DEFAULT_MASTER_NAME}). */
        public Builder masterName(String masterName) {
            Objects.requireNonNull(masterName, "masterName");
            if (!masterName.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("masterName must be letters, digits, '.', '_' or '-': " + masterName);
            }
            this.masterName = masterName;
            return this;
        }

        /** {@code requirepass} (and {@code masterauth}) on the data nodes; the sentinels need no password. */
        public Builder password(String password) {
            if (password != null && password.isEmpty()) {
                throw new IllegalArgumentException("password must not be empty (use null for none)");
            }
            this.password = password;
            return this;
        }

        /** How long a silent primary takes to be judged down ({@code down-after-milliseconds}, default 1 s). */
        public Builder downAfter(Duration downAfter) {
            if (downAfter == null || downAfter.toMillis() < 100) {
                throw new IllegalArgumentException("downAfter must be >= 100 ms: " + downAfter);
            }
            this.downAfter = downAfter;
            return this;
        }

        /**
         * Whether the replicas first replicate through a {@link FaultProxy} in front of the primary
         * ({@link EmbeddedRedisSentinel#replicationProxy()}), so a test can cut replication off while clients and
         * sentinels still reach the primary: the partition that makes a failover lose acknowledged writes. After a
         * failover the sentinels point the replicas straight at the promoted node.
         */
        public Builder proxiedReplication(boolean proxied) {
            this.proxiedReplication = proxied;
            return this;
        }

        /** Starts every process and waits until the deployment is healthy. */
        public EmbeddedRedisSentinel start() {
            List<EmbeddedRedis> data = new ArrayList<>();
            List<EmbeddedRedis> watchers = new ArrayList<>();
            FaultProxy proxy = null;
            try {
                EmbeddedRedis primary = dataNode().start();
                data.add(primary);
                proxy = proxiedReplication ? FaultProxy.start(primary) : null;
                String upstream = proxy == null ? primary.host() + " " + primary.port()
                        : proxy.host() + " " + proxy.port();
                for (int i = 0; i < replicas; i++) {
                    data.add(dataNode().config("replicaof " + upstream).start());
                }
                int quorum = sentinels / 2 + 1;
                for (int i = 0; i < sentinels; i++) {
                    EmbeddedRedis.Builder b = EmbeddedRedis.builder().sentinelMode(true).config(
                            "sentinel monitor " + masterName + " " + primary.host() + " " + primary.port() + " " + quorum,
                            "sentinel down-after-milliseconds " + masterName + " " + downAfter.toMillis(),
                            // also the pause before the same primary may be failed over again (2x), and how long
                            // before sentinels point a replica replicating through the proxy at the primary itself
                            "sentinel failover-timeout " + masterName + " "
                                    + (proxiedReplication ? 120_000 : Math.max(3000, downAfter.toMillis() * 3)),
                            "sentinel parallel-syncs " + masterName + " " + replicas);
                    if (password != null) {
                        b.config("sentinel auth-pass " + masterName + " " + quoted(password));
                    }
                    b.config(sentinelConfig.toArray(new String[0]));
                    watchers.add(b.start());
                }
                EmbeddedRedisSentinel deployment = new EmbeddedRedisSentinel(masterName, password, data, watchers, proxy);
                deployment.awaitHealthy();
                return deployment;
            } catch (RuntimeException | Error e) {
                watchers.forEach(EmbeddedRedis::close);
                if (proxy != null) {
                    proxy.close();
                }
                data.forEach(EmbeddedRedis::close);
                throw e;
            }
        }

        private EmbeddedRedis.Builder dataNode() {
            EmbeddedRedis.Builder b = EmbeddedRedis.builder().password(password);
            if (password != null) {
                b.config("masterauth " + quoted(password));
            }
            return b;
        }

        private static String quoted(String s) {
            return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
    }

    // ------------------------------------------------------------------ accessors

    /** The name the sentinels monitor the primary under. */
    public String masterName() {
        return masterName;
    }

    /**
     * {@code redis-sentinel://[:password@]127.0.0.1:p1,127.0.0.1:p2,...#masterName}: every sentinel, and the
     * data nodes' password when set.
     */
    public String sentinelUri() {
        String auth = password == null ? "" : ":" + URLEncoder.encode(password, StandardCharsets.UTF_8) + "@";
        return "redis-sentinel://" + auth + sentinelAddresses().stream().collect(Collectors.joining(",")) + "#" + masterName;
    }

    /** Every sentinel as {@code host:port}. */
    public List<String> sentinelAddresses() {
        return sentinels.stream().map(s -> s.host() + ":" + s.port()).collect(Collectors.toUnmodifiableList());
    }

    /** The sentinel processes. */
    public List<EmbeddedRedis> sentinels() {
        return sentinels;
    }

    /** Every data node (primary and replicas), in start order; which is primary changes with failovers. */
    public List<EmbeddedRedis> nodes() {
        return dataNodes;
    }

    /** The node the sentinels currently report as primary ({@code SENTINEL get-master-addr-by-name}). */
    public EmbeddedRedis primary() {
        RuntimeException last = null;
        for (EmbeddedRedis s : sentinels) {
            try {
                return reportedPrimary(s);
            } catch (RuntimeException e) {
                last = e;
            }
        }
        throw new IllegalStateException("no sentinel reports a primary for " + masterName, last);
    }

    /**
     * The proxy the replicas first replicate through ({@link Builder#proxiedReplication(boolean)}), or {@code null}.
     * {@link FaultProxy.Mode#BLACKHOLE} cuts replication off while clients and sentinels still reach the primary.
     */
    public FaultProxy replicationProxy() {
        return replicationProxy;
    }

    /** The data nodes other than the {@link #primary()}, whether attached or not. */
    public List<EmbeddedRedis> replicas() {
        EmbeddedRedis primary = primary();
        return dataNodes.stream().filter(n -> n != primary).collect(Collectors.toUnmodifiableList());
    }

    // ------------------------------------------------------------------ faults

    /**
     * Asks a sentinel to fail over ({@code SENTINEL FAILOVER}: a replica is promoted without waiting for the
     * primary to be judged down) and waits until every sentinel reports the new primary and every other running
     * node replicates from it. Returns the new primary.
     */
    public EmbeddedRedis failover() {
        EmbeddedRedis old = primary();
        sentinels.get(0).command("SENTINEL", "FAILOVER", masterName);
        EmbeddedRedis promoted = awaitPrimaryOtherThan(old);
        awaitHealthy();
        return promoted;
    }

    /** SIGKILLs the current primary and returns it; the sentinels promote a replica after {@code downAfter}. */
    public EmbeddedRedis killPrimary() {
        EmbeddedRedis primary = primary();
        primary.kill();
        return primary;
    }

    /**
     * SIGSTOPs the current primary and returns it: its connections stay open and unanswered, and the sentinels
     * promote a replica after {@code downAfter}. {@link EmbeddedRedis#resume()} it to see it demoted to a replica.
     */
    public EmbeddedRedis pausePrimary() {
        EmbeddedRedis primary = primary();
        primary.pause();
        return primary;
    }

    /** Waits (up to 30 s) until every reachable sentinel reports a primary other than {@code old}; returns it. */
    public EmbeddedRedis awaitPrimaryOtherThan(EmbeddedRedis old) {
        Objects.requireNonNull(old, "old");
        return await("a primary other than " + old, () -> {
            EmbeddedRedis agreed = null;
            for (EmbeddedRedis s : sentinels) {
                EmbeddedRedis p = reportedPrimary(s);
                if (p == old || (agreed != null && agreed != p) || failoverInProgress(s)) {
                    return null;
                }
                agreed = p;
            }
            return agreed != null && "master".equals(role(agreed)) ? agreed : null;
        });
    }

    /**
     * Heals the deployment and waits (up to 30 s) until it is steady: killed nodes restarted, paused ones resumed
     * (and, when they come back as a primary the sentinels replaced, made replicas of the current one at once, with
     * their clients disconnected, as the sentinels would do some seconds later), every sentinel agreeing on a
     * primary that answers as master, and every other node attached to it with its link up.
     */
    public void awaitHealthy() {
        EmbeddedRedis reported = primary();
        if (!reported.isRunning() || reported.isPaused()) {
            // a node restarted before its replacement is promoted would come back as an empty primary
            awaitPrimaryOtherThan(reported);
        }
        EmbeddedRedis primary = primary();
        for (EmbeddedRedis n : dataNodes) {
            boolean healed = false;
            if (!n.isRunning()) {
                n.restart();
                healed = true;
            } else if (n.isPaused()) {
                n.resume();
                healed = true;
            }
            if (healed && n != primary) {
                demote(n, primary);
            }
        }
        await("a healthy deployment", () -> {
            EmbeddedRedis agreed = null;
            for (EmbeddedRedis s : sentinels) {
                EmbeddedRedis p = reportedPrimary(s);
                if ((agreed != null && agreed != p) || failoverInProgress(s)) {
                    return null;
                }
                agreed = p;
                Object replicas = s.command("SENTINEL", "REPLICAS", masterName);
                if (!(replicas instanceof List) || ((List<?>) replicas).size() < dataNodes.size() - 1) {
                    return null;
                }
            }
            if (!"master".equals(role(agreed))) {
                return null;
            }
            for (EmbeddedRedis n : dataNodes) {
                if (n == agreed) {
                    continue;
                }
                if ("master".equals(role(n))) {
                    // promoted by a failover attempt that another sentinel superseded (a slow box): the sentinels
                    // demote it only some 8 s later
                    demote(n, agreed);
                    return null;
                }
                Object info = n.command("INFO", "replication");
                String masterPort = Resp.infoField(info, "master_port");
                boolean viaProxy = replicationProxy != null && agreed == dataNodes.get(0)
                        && Integer.toString(replicationProxy.port()).equals(masterPort);
                if (!"slave".equals(Resp.infoField(info, "role"))
                        || !(viaProxy || Integer.toString(agreed.port()).equals(masterPort))
                        || !"up".equals(Resp.infoField(info, "master_link_status"))) {
                    return null;
                }
            }
            return agreed;
        });
    }

    /**
     * Points a node that came back (restarted empty, or resumed still believing it is the primary) at the current
     * primary and drops its clients, as the sentinels do themselves, but only some 8 s after it reappears.
     */
    private static void demote(EmbeddedRedis node, EmbeddedRedis primary) {
        try {
            if (!"master".equals(role(node))) {
                return;
            }
            node.command("REPLICAOF", primary.host(), Integer.toString(primary.port()));
            node.command("CLIENT", "KILL", "TYPE", "normal");
            node.command("CLIENT", "KILL", "TYPE", "pubsub");
        } catch (RuntimeException e) {
            // the sentinels will do it
        }
    }

    private EmbeddedRedis reportedPrimary(EmbeddedRedis sentinel) {
        Object reply = sentinel.command("SENTINEL", "get-master-addr-by-name", masterName);
        if (!(reply instanceof List) || ((List<?>) reply).size() != 2) {
            throw new IllegalStateException(sentinel + " reports no primary for " + masterName + ": " + reply);
        }
        int port = Integer.parseInt(String.valueOf(((List<?>) reply).get(1)));
        for (EmbeddedRedis n : dataNodes) {
            if (n.port() == port) {
                return n;
            }
        }
        throw new IllegalStateException(sentinel + " reports an unknown primary port " + port);
    }

    /** Whether this sentinel is still running a failover (it reports the promoted replica before it is done). */
    private boolean failoverInProgress(EmbeddedRedis sentinel) {
        Object reply = sentinel.command("SENTINEL", "MASTER", masterName);
        if (reply instanceof List) {
            List<?> fields = (List<?>) reply;
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                if ("flags".equals(fields.get(i))) {
                    String flags = String.valueOf(fields.get(i + 1));
                    return flags.contains("failover") || flags.contains("o_down");
                }
            }
        }
        return true;
    }

    private static String role(EmbeddedRedis node) {
        return Resp.infoField(node.command("INFO", "replication"), "role");
    }

    private interface Probe {
        EmbeddedRedis get();
    }

    private static EmbeddedRedis await(String what, Probe probe) {
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        RuntimeException lastError = null;
        while (System.nanoTime() < deadline) {
            try {
                EmbeddedRedis result = probe.get();
                if (result != null) {
                    return result;
                }
            } catch (RuntimeException e) {
                lastError = e; // a node still down or busy reconfiguring: ask again
            }
            try {
                Thread.sleep(50); // polling processes we do not control; they notify nobody
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
        throw new IllegalStateException("no " + what + " within " + SETTLE_TIMEOUT
                + (lastError == null ? "" : " (last error: " + lastError + ")"));
    }

    /** {@code FLUSHALL} on the primary (replicated to the replicas). */
    public void flushAll() {
        primary().flushAll();
    }

    /** Kills every sentinel and data node and deletes their directories. Idempotent; never throws. */
    @Override
    public void close() {
        sentinels.forEach(EmbeddedRedis::close);
        if (replicationProxy != null) {
            replicationProxy.close();
        }
        dataNodes.forEach(EmbeddedRedis::close);
    }

    @Override
    public String toString() {
        return "EmbeddedRedisSentinel[" + masterName + ", nodes=" + dataNodes + ", sentinels=" + sentinels + "]";
    }
}
