package io.latchkey.core;

import io.latchkey.core.spi.Arguments;
import io.latchkey.core.spi.Internals;
import io.latchkey.core.spi.Keys;
import io.latchkey.core.spi.Notifications;
import io.latchkey.core.spi.RedisExecutor;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A connection to one Redis deployment (a standalone server or a Redis Cluster) shared by every Latchkey primitive
 * built on it. Thread-safe; create one per deployment and close it on shutdown.
 *
 * <pre>{@code
 * try (Latchkey latchkey = Latchkey.connect("redis://127.0.0.1:6379")) {
 *     DistributedLock lock = Locks.of(latchkey).lock("order:42");
 * }
 * }</pre>
 *
 * <p>It owns exactly one command connection and one pub/sub connection (opened on first use, for waiters). The
 * command connection rejects commands while disconnected and bounds its queue, so an outage fails fast instead of
 * piling up requests. A command in flight when the connection drops fails with an unknown outcome (it may have
 * run); Latchkey's scripts are idempotent per request id, and {@code RedisExecutor#evalIdempotent} re-sends them.
 *
 * <p>Latchkey's modules reach the command executor, keys, pub/sub and scheduler through
 * {@code io.latchkey.core.spi.Internals.of(latchkey)}; no method here exposes them.
 */
public final class Latchkey implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Latchkey.class.getName());
    private static final AtomicBoolean WARNED_NO_REGISTRY = new AtomicBoolean();

    /** The namespace used when none is configured. */
    public static final String DEFAULT_NAMESPACE = "latchkey";

    static {
        // the access bridge: the spi package reads a client's internals through it, no public method does
        Internals.grantAccess(latchkey -> latchkey.internals);
    }

    private final String namespace;
    private final Duration commandTimeout;
    private final MeterRegistry meterRegistry;
    private final ClientResources resources;
    private final boolean ownsResources;
    private final AutoCloseable client;
    private final StatefulConnection<String, String> connection;
    private final RedisExecutor executor;
    private final Notifications notifications;
    private final ScheduledExecutorService scheduler;
    private final Internals internals;
    private final String description;
    private final boolean cluster;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Latchkey(Builder b) {
        this.namespace = b.namespace;
        this.cluster = b.cluster;
        this.commandTimeout = b.commandTimeout;
        this.meterRegistry = b.meterRegistry != null ? b.meterRegistry : noRegistry();
        this.scheduler = newScheduler();
        this.ownsResources = b.clientResources == null;
        this.resources = ownsResources ? DefaultClientResources.create() : b.clientResources;
        RedisURI uri = b.redisUri();
        uri.setTimeout(b.commandTimeout);
        if (b.insecureSkipVerify) {
            uri.setVerifyPeer(SslVerifyMode.NONE);
        }
        this.description = describe(uri);
        SocketOptions socket = SocketOptions.builder().connectTimeout(b.connectTimeout).keepAlive(true).build();
        SslOptions ssl = b.trustedCertificates == null ? SslOptions.create()
                : SslOptions.builder().jdkSslProvider().trustManager(b.trustedCertificates.toFile()).build();
        TimeoutOptions timeouts = TimeoutOptions.enabled(b.commandTimeout);
        Supplier<CompletableFuture<StatefulRedisPubSubConnection<String, String>>> pubSub;
        try {
            if (b.cluster) {
                RedisClusterClient c = RedisClusterClient.create(resources, uri);
                c.setOptions(ClusterClientOptions.builder()
                        .autoReconnect(true)
                        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                        .requestQueueSize(b.requestQueueSize)
                        .socketOptions(socket)
                        .sslOptions(ssl)
                        .timeoutOptions(timeouts)
                        .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                                .enableAllAdaptiveRefreshTriggers().build())
                        .build());
                this.client = c::shutdown;
                StatefulRedisClusterConnection<String, String> conn = connectOrClose(() -> {
                    StatefulRedisClusterConnection<String, String> cc = c.connect(StringCodec.UTF8);
                    // Node connections open lazily, and a command routed to one still opening is rejected like any
                    // command while disconnected: open every master's connection now, so no first call fails.
                    for (RedisClusterNode node : cc.getPartitions()) {
                        if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
                            cc.getConnection(node.getUri().getHost(), node.getUri().getPort());
                        }
                    }
                    return cc;
                }, c::shutdown, b);
                this.connection = conn;
                this.executor = new RedisExecutor(conn.async(), b.commandTimeout, meterRegistry, scheduler, conn::isOpen,
                        closed::get);
                pubSub = () -> c.connectPubSubAsync(StringCodec.UTF8).toCompletableFuture().thenApply(x -> x);
            } else {
                RedisClient c = RedisClient.create(resources, uri);
                c.setOptions(ClientOptions.builder()
                        .autoReconnect(true)
                        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                        .requestQueueSize(b.requestQueueSize)
                        .socketOptions(socket)
                        .sslOptions(ssl)
                        .timeoutOptions(timeouts)
                        .build());
                this.client = c::shutdown;
                StatefulRedisConnection<String, String> conn = connectOrClose(() -> c.connect(StringCodec.UTF8), c::shutdown, b);
                this.connection = conn;
                RedisClusterAsyncCommands<String, String> async = conn.async();
                this.executor = new RedisExecutor(async, b.commandTimeout, meterRegistry, scheduler, conn::isOpen,
                        closed::get);
                pubSub = () -> c.connectPubSubAsync(StringCodec.UTF8, uri).toCompletableFuture().thenApply(x -> x);
            }
        } catch (RuntimeException e) {
            scheduler.shutdownNow();
            if (ownsResources) {
                resources.shutdown();
            }
            throw e;
        }
        this.notifications = new Notifications(pubSub, scheduler);
        this.internals = new Internals(executor, new Keys(namespace), notifications, scheduler);
    }

    /** Where this client connects, without credentials: for messages and {@link #toString()}. */
    private static String describe(RedisURI uri) {
        if (uri.getSentinels().isEmpty()) {
            return (uri.isSsl() ? "rediss://" : "redis://") + uri.getHost() + ":" + uri.getPort();
        }
        StringJoiner sentinels = new StringJoiner(",", uri.isSsl() ? "rediss-sentinel://" : "redis-sentinel://",
                "#" + uri.getSentinelMasterId());
        for (RedisURI s : uri.getSentinels()) {
            sentinels.add(s.getHost() + ":" + s.getPort());
        }
        return sentinels.toString();
    }

    private <C> C connectOrClose(Supplier<C> connect, Runnable shutdown, Builder b) {
        try {
            return connect.get();
        } catch (RuntimeException e) {
            shutdown.run();
            throw connectFailure(e, b);
        }
    }

    /**
     * Redis refusing the connection setup (WRONGPASS, NOAUTH, NOPERM on HELLO/AUTH/SELECT, a bad DB index) or a
     * failed TLS handshake will not heal by retrying: a typed configuration error with the reason. Anything
     * else (refused, unreachable, timed out) is Redis being unavailable. The URI's password is never echoed.
     */
    // text without the URI's user info or the password given to Builder.credentials
    private static String scrub(String text, Builder b) {
        String out = ConnectionUri.redactIn(text, b.uri);
        return out == null || b.password == null ? out : out.replace(b.password, "***");
    }

    private LatchkeyException connectFailure(RuntimeException e, Builder b) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof io.lettuce.core.RedisCommandExecutionException) {
                return new LatchkeyConfigurationException("cannot connect to " + description
                        + ": Redis refused the connection setup: " + scrub(t.getMessage(), b), e);
            }
            if (t instanceof javax.net.ssl.SSLException) {
                return new LatchkeyConfigurationException("cannot connect to " + description
                        + ": the TLS handshake failed: " + scrub(t.getMessage(), b), e);
            }
        }
        return new LatchkeyUnavailableException("cannot connect to " + description + ": "
                + scrub(e.getMessage(), b), e);
    }

    private static ScheduledExecutorService newScheduler() {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, "latchkey-scheduler-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, threads);
        s.setRemoveOnCancelPolicy(true);
        return Executors.unconfigurableScheduledExecutorService(s);
    }

    /**
     * Connects to {@code redis://host:port}, {@code rediss://} (TLS) or {@code redis://user:password@host:port}, or
     * through Redis Sentinel: {@code redis-sentinel://[[user]:password@]host:port[,host2:port2...][/db]#masterName}
     * ({@code rediss-sentinel://} for TLS to the sentinels and the data nodes).
     */
    public static Latchkey connect(String uri) {
        return builder().uri(uri).build();
    }

    /** A builder for every connection option. */
    public static Builder builder() {
        return new Builder();
    }

    /** The prefix of every key this client writes, {@value #DEFAULT_NAMESPACE} unless configured. */
    public String namespace() {
        return namespace;
    }

    /** The timeout applied to every Redis command. */
    public Duration commandTimeout() {
        return commandTimeout;
    }

    /** Where Latchkey's meters are registered; a no-op registry when none was configured. */
    public MeterRegistry meterRegistry() {
        return meterRegistry;
    }

    /** Server time from Redis {@code TIME}, in microseconds since the epoch. */
    public long serverTimeMicros() {
        return executor.serverTimeMicros();
    }

    /**
     * Checks the connection now, for health checks: one PING, then one SCRIPT EXISTS for the Lua scripts this client
     * has sent so far. A script missing from the server's cache (after a restart, failover or SCRIPT FLUSH) is not
     * an error: its next use re-sends it.
     *
     * @return by script name, whether the server still caches it; empty before the first script
     * @throws LatchkeyException when Redis does not answer within the command timeout
     */
    public java.util.Map<String, Boolean> ping() {
        return executor.ping();
    }

    /**
     * Whether this client talks to a Redis Cluster ({@link Builder#cluster(boolean)}). Modules use it to decide whether
     * keys of different hash slots may go into one script (standalone) or must be split per slot (cluster).
     */
    public boolean isCluster() {
        return cluster;
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed.get();
    }

    /** Closes the connections and the scheduler. Idempotent; never throws. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        scheduler.shutdownNow();
        quietly(notifications::close);
        quietly(connection::close);
        quietly(client::close);
        if (ownsResources) {
            quietly(() -> resources.shutdown());
        }
    }

    private static void quietly(ThrowingRunnable r) {
        try {
            r.run();
        } catch (Exception e) {
            // closing is best effort: a failure here must not hide the caller's own exception
            LOG.log(System.Logger.Level.DEBUG, "closing a Latchkey resource failed", e);
        }
    }

    /** A registry that keeps nothing, with a warning once per JVM that metrics go nowhere. */
    private static MeterRegistry noRegistry() {
        if (WARNED_NO_REGISTRY.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.WARNING, "no MeterRegistry configured: Latchkey's metrics are discarded"
                    + " (set one with Latchkey.builder().meterRegistry(...))");
        }
        return new CompositeMeterRegistry();
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Override
    public String toString() {
        return "Latchkey[" + description + ", namespace=" + namespace + "]";
    }

    /** Options for {@link Latchkey}. One of {@link #uri(String)} and {@link #sentinel(String, List)} is required. */
    public static final class Builder {
        private String uri;
        private String namespace = DEFAULT_NAMESPACE;
        private Duration commandTimeout = Duration.ofSeconds(2);
        private Duration connectTimeout = Duration.ofSeconds(5);
        private int requestQueueSize = 10_000;
        private MeterRegistry meterRegistry;
        private ClientResources clientResources;
        private boolean cluster;
        private Path trustedCertificates;
        private boolean insecureSkipVerify;
        private String sentinelMaster;
        private List<HostAndPort> sentinels;
        private String username;
        private String password;
        private boolean tls;

        private Builder() {
        }

        /** A {@code host:port} pair of {@link #sentinel(String, List)}; {@code [v6]:port} for IPv6 literals. */
        private static final class HostAndPort {
            final String host;
            final int port;

            HostAndPort(String host, int port) {
                this.host = host;
                this.port = port;
            }

            static HostAndPort parse(String address) {
                Objects.requireNonNull(address, "sentinels element");
                int colon = address.lastIndexOf(':');
                String host = colon > 0 ? address.substring(0, colon) : "";
                if (host.startsWith("[") && host.endsWith("]")) {
                    host = host.substring(1, host.length() - 1);
                }
                int port;
                try {
                    port = Integer.parseInt(address.substring(colon + 1));
                } catch (NumberFormatException e) {
                    port = -1;
                }
                if (host.isBlank() || port < 1 || port > 65535) {
                    throw new IllegalArgumentException("sentinels must be host:port pairs, e.g. \"10.0.0.1:26379\": " + address);
                }
                return new HostAndPort(host, port);
            }
        }

        /**
         * {@code redis://[user:password@]host:port[/db]} or {@code rediss://...} for TLS. Errors quote it with the
         * password masked. {@code ?verifyPeer=NONE} is refused at {@link #build()} unless
         * {@link #insecureSkipVerify(boolean)} allows it.
         */
        public Builder uri(String uri) {
            Objects.requireNonNull(uri, "uri");
            if (uri.isBlank()) {
                throw new IllegalArgumentException("uri must not be blank");
            }
            ConnectionUri.parse(uri);
            this.uri = uri;
            return this;
        }

        /** The prefix of every key; letters, digits and {@code -_.:} only, no braces. */
        public Builder namespace(String namespace) {
            this.namespace = Keys.validateNamespace(namespace);
            return this;
        }

        /**
         * The timeout of every Redis command (default 2 s; from 1 ms to 1 hour). A timed-out command's outcome is
         * unknown.
         */
        public Builder commandTimeout(Duration timeout) {
            this.commandTimeout = Arguments.timeout(timeout, "commandTimeout");
            return this;
        }

        /** The TCP connect timeout (default 5 s; from 1 ms to 1 hour). */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Arguments.timeout(timeout, "connectTimeout");
            return this;
        }

        /** The most commands queued on the connection before new ones are rejected (default 10 000). */
        public Builder requestQueueSize(int size) {
            this.requestQueueSize = (int) Arguments.positive(size, "requestQueueSize");
            return this;
        }

        /** Where to register meters; none by default. */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = Objects.requireNonNull(registry, "meterRegistry");
            return this;
        }

        /** Lettuce resources to share with other clients; Latchkey creates (and closes) its own by default. */
        public Builder clientResources(ClientResources resources) {
            this.clientResources = Objects.requireNonNull(resources, "clientResources");
            return this;
        }

        /**
         * For {@code rediss://}: trust the certificates in this PEM file (e.g. a private CA) instead of the JVM's
         * default trust store. Peer verification stays on. {@link #build()} refuses it with a {@code redis://} URI,
         * where it would have no effect.
         */
        public Builder trustedCertificates(Path pemFile) {
            Objects.requireNonNull(pemFile, "pemFile");
            if (!Files.isReadable(pemFile)) {
                throw new IllegalArgumentException("pemFile is not a readable file: " + pemFile);
            }
            this.trustedCertificates = pemFile;
            return this;
        }

        /**
         * Connect over TLS without verifying the server's certificate (as the URI's {@code verifyPeer=NONE} does,
         * which is refused without this). Anyone on the network path can then impersonate Redis: for tests and
         * throwaway setups only; prefer {@link #trustedCertificates(Path)} for a private CA. No effect without TLS.
         */
        public Builder insecureSkipVerify(boolean skip) {
            this.insecureSkipVerify = skip;
            return this;
        }

        /**
         * Connects through Redis Sentinel instead of a {@link #uri(String)}: every (re)connect asks these sentinels
         * ({@code host:port}, the first that answers wins) for the current primary of {@code masterName}, so after
         * a failover the client follows the promoted replica without a restart. Combine with
         * {@link #credentials(String, String)} (the data nodes' ACL user or password) and {@link #tls(boolean)}.
         * The same as {@code uri("redis-sentinel://host1:port1,host2:port2#masterName")}.
         */
        public Builder sentinel(String masterName, List<String> sentinels) {
            Objects.requireNonNull(masterName, "masterName");
            Objects.requireNonNull(sentinels, "sentinels");
            if (masterName.isBlank()) {
                throw new IllegalArgumentException("masterName must not be blank");
            }
            if (sentinels.isEmpty()) {
                throw new IllegalArgumentException("sentinels must name at least one sentinel (host:port)");
            }
            List<HostAndPort> parsed = new ArrayList<>();
            for (String s : sentinels) {
                parsed.add(HostAndPort.parse(s));
            }
            this.sentinelMaster = masterName;
            this.sentinels = List.copyOf(parsed);
            return this;
        }

        /**
         * The data nodes' credentials: an ACL {@code username} (or {@code null} for the {@code requirepass}
         * password alone) and its {@code password}. They replace any user info of {@link #uri(String)}, which keeps
         * secrets out of URI strings. With {@link #sentinel(String, List)} they are sent to the primary, not to the
         * sentinels (sentinels that require a password of their own are not supported by these options yet).
         */
        public Builder credentials(String username, String password) {
            Objects.requireNonNull(password, "password");
            if (password.isEmpty()) {
                throw new IllegalArgumentException("password must not be empty");
            }
            if (username != null && username.isBlank()) {
                throw new IllegalArgumentException("username must not be blank (use null for the default user)");
            }
            this.username = username;
            this.password = password;
            return this;
        }

        /**
         * TLS to every server (the sentinels and the data nodes with {@link #sentinel(String, List)}); the same as a
         * {@code rediss://} or {@code rediss-sentinel://} scheme. Peer verification stays on; see
         * {@link #trustedCertificates(Path)}.
         */
        public Builder tls(boolean tls) {
            this.tls = tls;
            return this;
        }

        /** The Lettuce URI to connect with, from {@link #uri(String)} or {@link #sentinel(String, List)}. */
        private RedisURI redisUri() {
            RedisURI.Builder b;
            if (sentinels != null) {
                b = RedisURI.Builder.sentinel(sentinels.get(0).host, sentinels.get(0).port, sentinelMaster);
                for (HostAndPort s : sentinels.subList(1, sentinels.size())) {
                    b.withSentinel(s.host, s.port);
                }
            } else if (!tls && password == null) {
                return RedisURI.create(uri);
            } else {
                b = RedisURI.builder(RedisURI.create(uri));
            }
            if (tls) {
                b.withSsl(true);
            }
            if (password != null && username == null) {
                b.withPassword(password.toCharArray());
            } else if (password != null) {
                b.withAuthentication(username, password.toCharArray());
            }
            return b.build();
        }

        /** Treat {@link #uri(String)} as a seed node of a Redis Cluster. */
        public Builder cluster(boolean cluster) {
            this.cluster = cluster;
            return this;
        }

        /**
         * Connects. Throws {@link LatchkeyUnavailableException} when Redis cannot be reached,
         * {@link LatchkeyConfigurationException} when it refuses this client (authentication, database index, TLS),
         * and {@link IllegalArgumentException} for TLS options that would not do what they say (trusted certificates
         * without TLS, {@code verifyPeer=NONE} without {@link #insecureSkipVerify(boolean)}).
         */
        public Latchkey build() {
            if (uri == null && sentinels == null) {
                throw new IllegalStateException("uri is required: Latchkey.builder().uri(\"redis://host:6379\")"
                        + " (or .sentinel(\"mymaster\", List.of(\"host:26379\")))");
            }
            if (uri != null && sentinels != null) {
                throw new IllegalStateException("uri and sentinel(...) are alternatives: set one of them");
            }
            boolean sentinelUri = sentinels != null || !RedisURI.create(uri).getSentinels().isEmpty();
            if (cluster && sentinelUri) {
                throw new IllegalStateException("cluster(true) cannot be combined with Sentinel: a Redis Cluster"
                        + " fails over by itself");
            }
            if (uri != null) {
                // with tls(true) the URI's scheme does not decide whether certificates are used
                ConnectionUri.checkTls(uri, tls ? null : trustedCertificates, insecureSkipVerify);
            } else if (trustedCertificates != null && !tls) {
                throw new IllegalArgumentException("trustedCertificates needs TLS: add tls(true) to sentinel(...),"
                        + " or the certificates would be ignored");
            }
            return new Latchkey(this);
        }
    }

}
