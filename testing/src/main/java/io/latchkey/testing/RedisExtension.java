package io.latchkey.testing;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestInstanceFactoryContext;
import org.junit.jupiter.api.extension.TestInstancePreConstructCallback;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit Jupiter extension behind {@link RedisTest}: starts the nodes once per test class (kept in the class's
 * {@link ExtensionContext.Store}, closed when the class finishes), resets and flushes them before each test, and
 * resolves parameters. See {@link RedisTest} for the injectable types and the lifecycle.
 *
 * <p>{@code io.latchkey.core.Latchkey} is created reflectively through its public static {@code connect(String)}
 * (this module does not depend on latchkey-core), and closed with the extension context it was resolved in.
 */
public final class RedisExtension implements TestInstancePreConstructCallback, BeforeEachCallback, ParameterResolver {

    /** System property choosing the backend: {@code embedded} (default) or {@code testcontainers}. */
    public static final String BACKEND_PROPERTY = "latchkey.redis.backend";

    private static final String LATCHKEY_CLASS = "io.latchkey.core.Latchkey";
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(RedisExtension.class);
    private static final AtomicLong CLIENT_IDS = new AtomicLong();

    /** Public for JUnit's reflective instantiation. */
    public RedisExtension() {
    }

    /** With the container backend and no Docker, skip (not fail) before a constructor asks for a node. */
    @Override
    public void preConstructTestInstance(TestInstanceFactoryContext factoryContext, ExtensionContext context) {
        if (config(context).containers) {
            String reason = ContainerRedis.unavailableReason();
            Assumptions.assumeTrue(reason == null, () -> "Docker not available: " + reason);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        fixture(context).reset();
    }

    @Override
    public boolean supportsParameter(ParameterContext pc, ExtensionContext ec) {
        return kind(pc.getParameter()) != null;
    }

    @Override
    public Object resolveParameter(ParameterContext pc, ExtensionContext ec) {
        Parameter p = pc.getParameter();
        Kind kind = kind(p);
        Fixture f = fixture(ec);
        if (f.config.topology != RedisTest.Topology.NODES) {
            return f.resolveTopology(ec, p, kind);
        }
        switch (kind) {
            case SENTINEL:
            case CLUSTER:
                throw new ParameterResolutionException(p + " needs @RedisTest(topology = " + kind + ")");
            case NODE:
                return f.nodes.get(0);
            case EMBEDDED_NODE:
                return f.embedded(p).get(0);
            case NODE_LIST:
                return f.nodes;
            case EMBEDDED_LIST:
                return f.embedded(p);
            case NODES_GROUP:
                f.embedded(p);
                return f.group;
            case PROXY:
                return f.proxies(p).get(0);
            case PROXY_LIST:
                return f.proxies(p);
            case LATCHKEY:
                return connect(ec, (Class<?>) p.getType(), f.clientUri(0));
            case LATCHKEY_LIST: {
                Class<?> type = (Class<?>) ((ParameterizedType) p.getParameterizedType()).getActualTypeArguments()[0];
                List<Object> clients = new ArrayList<>();
                for (int i = 0; i < f.nodes.size(); i++) {
                    clients.add(connect(ec, type, f.clientUri(i)));
                }
                return List.copyOf(clients);
            }
            default:
                throw new ParameterResolutionException("unsupported parameter " + p);
        }
    }

    // ------------------------------------------------------------------ parameter kinds

    private enum Kind { NODE, EMBEDDED_NODE, NODE_LIST, EMBEDDED_LIST, NODES_GROUP, PROXY, PROXY_LIST, LATCHKEY, LATCHKEY_LIST,
        SENTINEL, CLUSTER }

    private static Kind kind(Parameter p) {
        Class<?> raw = p.getType();
        if (raw == EmbeddedRedis.class) {
            return Kind.EMBEDDED_NODE;
        }
        if (raw == RedisNode.class) {
            return Kind.NODE;
        }
        if (raw == EmbeddedRedisNodes.class) {
            return Kind.NODES_GROUP;
        }
        if (raw == FaultProxy.class) {
            return Kind.PROXY;
        }
        if (raw == EmbeddedRedisSentinel.class) {
            return Kind.SENTINEL;
        }
        if (raw == EmbeddedRedisCluster.class) {
            return Kind.CLUSTER;
        }
        if (raw.getName().equals(LATCHKEY_CLASS)) {
            return Kind.LATCHKEY;
        }
        if (raw == List.class && p.getParameterizedType() instanceof ParameterizedType) {
            Type arg = ((ParameterizedType) p.getParameterizedType()).getActualTypeArguments()[0];
            if (arg == EmbeddedRedis.class) {
                return Kind.EMBEDDED_LIST;
            }
            if (arg == RedisNode.class) {
                return Kind.NODE_LIST;
            }
            if (arg == FaultProxy.class) {
                return Kind.PROXY_LIST;
            }
            if (arg instanceof Class && ((Class<?>) arg).getName().equals(LATCHKEY_CLASS)) {
                return Kind.LATCHKEY_LIST;
            }
        }
        return null;
    }

    private static Object connect(ExtensionContext ec, Class<?> latchkeyType, String uri) {
        return connect(ec, latchkeyType, uri, false);
    }

    private static Object connect(ExtensionContext ec, Class<?> latchkeyType, String uri, boolean cluster) {
        Object client;
        try {
            if (cluster) {
                Object builder = latchkeyType.getMethod("builder").invoke(null);
                builder = builder.getClass().getMethod("uri", String.class).invoke(builder, uri);
                builder = builder.getClass().getMethod("cluster", boolean.class).invoke(builder, true);
                client = builder.getClass().getMethod("build").invoke(builder);
            } else {
                Method connect = latchkeyType.getMethod("connect", String.class);
                client = connect.invoke(null, uri);
            }
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw new ParameterResolutionException("Latchkey.connect(\"" + uri + "\") failed: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new ParameterResolutionException("cannot call " + LATCHKEY_CLASS + ".connect(String): " + e, e);
        }
        if (client instanceof AutoCloseable) {
            // the store closes AutoCloseable values when this context (test method, or class for constructors) ends
            ec.getStore(NS).put("latchkey-" + CLIENT_IDS.incrementAndGet(), (AutoCloseable) ((AutoCloseable) client)::close);
        }
        return client;
    }

    // ------------------------------------------------------------------ fixture

    private static Fixture fixture(ExtensionContext context) {
        Config config = config(context);
        ExtensionContext classContext = context;
        while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
            classContext = classContext.getParent().get();
        }
        return classContext.getStore(NS).computeIfAbsent(config, Fixture::start, Fixture.class);
    }

    private static Config config(ExtensionContext context) {
        Optional<RedisTest> a = context.getTestMethod().flatMap(m -> AnnotationSupport.findAnnotation(m, RedisTest.class));
        for (Class<?> c = context.getTestClass().orElse(null); a.isEmpty() && c != null; c = c.getEnclosingClass()) {
            a = AnnotationSupport.findAnnotation(c, RedisTest.class);
        }
        String backend = System.getProperty(BACKEND_PROPERTY, "embedded").trim().toLowerCase(Locale.ROOT);
        if (!backend.equals("embedded") && !backend.equals("testcontainers")) {
            throw new IllegalArgumentException("-D" + BACKEND_PROPERTY + " must be 'embedded' or 'testcontainers': " + backend);
        }
        int nodes = a.map(RedisTest::nodes).orElse(1);
        if (nodes < 1) {
            throw new IllegalArgumentException("@RedisTest(nodes) must be >= 1: " + nodes);
        }
        RedisTest.Topology topology = a.map(RedisTest::topology).orElse(RedisTest.Topology.NODES);
        if (topology != RedisTest.Topology.NODES && backend.equals("testcontainers")) {
            throw new IllegalArgumentException("@RedisTest(topology = " + topology + ") runs embedded processes only");
        }
        return new Config(nodes, a.map(RedisTest::proxied).orElse(false), a.map(RedisTest::appendOnly).orElse(false),
                backend.equals("testcontainers"), topology);
    }

    /** Identifies a fixture within a class store. */
    private static final class Config {
        final int nodes;
        final boolean proxied;
        final boolean appendOnly;
        final boolean containers;
        final RedisTest.Topology topology;

        Config(int nodes, boolean proxied, boolean appendOnly, boolean containers, RedisTest.Topology topology) {
            this.nodes = nodes;
            this.proxied = proxied;
            this.appendOnly = appendOnly;
            this.containers = containers;
            this.topology = topology;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Config)) {
                return false;
            }
            Config c = (Config) o;
            return nodes == c.nodes && proxied == c.proxied && appendOnly == c.appendOnly && containers == c.containers
                    && topology == c.topology;
        }

        @Override
        public int hashCode() {
            return (((nodes * 31 + (proxied ? 1 : 0)) * 31 + (appendOnly ? 1 : 0)) * 31 + (containers ? 1 : 0)) * 31
                    + topology.hashCode();
        }

        @Override
        public String toString() {
            return "@RedisTest(nodes=" + nodes + ", proxied=" + proxied + ", appendOnly=" + appendOnly
                    + ", topology=" + topology + ")"
                    + (containers ? " on testcontainers" : "");
        }
    }

    /** The nodes and proxies of one class; closed by the store when the class context closes. */
    private static final class Fixture implements AutoCloseable {
        final Config config;
        final EmbeddedRedisNodes group; // null with containers
        final List<RedisNode> nodes;
        final List<FaultProxy> proxies;
        final EmbeddedRedisSentinel sentinel; // with topology SENTINEL only
        final EmbeddedRedisCluster cluster; // with topology CLUSTER only

        private Fixture(Config config, EmbeddedRedisSentinel sentinel, EmbeddedRedisCluster cluster) {
            this.config = config;
            this.group = null;
            this.nodes = List.of();
            this.proxies = List.of();
            this.sentinel = sentinel;
            this.cluster = cluster;
        }

        private Fixture(Config config, EmbeddedRedisNodes group, List<RedisNode> nodes) {
            this.config = config;
            this.group = group;
            this.nodes = nodes;
            this.sentinel = null;
            this.cluster = null;
            List<FaultProxy> ps = new ArrayList<>();
            try {
                if (config.proxied) {
                    for (RedisNode n : nodes) {
                        ps.add(FaultProxy.start(n));
                    }
                }
            } catch (RuntimeException e) {
                ps.forEach(FaultProxy::close);
                nodes.forEach(RedisNode::close);
                throw e;
            }
            this.proxies = List.copyOf(ps);
        }

        static Fixture start(Config config) {
            if (config.topology == RedisTest.Topology.SENTINEL) {
                return new Fixture(config, EmbeddedRedisSentinel.start(), null);
            }
            if (config.topology == RedisTest.Topology.CLUSTER) {
                return new Fixture(config, null, EmbeddedRedisCluster.start());
            }
            if (config.containers) {
                String reason = ContainerRedis.unavailableReason();
                Assumptions.assumeTrue(reason == null, () -> "Docker not available: " + reason);
                List<RedisNode> nodes = new ArrayList<>();
                try {
                    for (int i = 0; i < config.nodes; i++) {
                        nodes.add(config.appendOnly ? ContainerRedis.start(ContainerRedis.DEFAULT_IMAGE, true) : ContainerRedis.start());
                    }
                } catch (RuntimeException e) {
                    nodes.forEach(RedisNode::close);
                    throw e;
                }
                return new Fixture(config, null, List.copyOf(nodes));
            }
            EmbeddedRedisNodes group = EmbeddedRedisNodes.start(config.nodes, b -> b.appendOnly(config.appendOnly));
            return new Fixture(config, group, List.copyOf(group.list()));
        }

        List<EmbeddedRedis> embedded(Parameter p) {
            if (group == null) {
                throw new ParameterResolutionException(p + ": EmbeddedRedis is not available with -D" + BACKEND_PROPERTY
                        + "=testcontainers; declare RedisNode instead");
            }
            return group.list();
        }

        List<FaultProxy> proxies(Parameter p) {
            if (proxies.isEmpty()) {
                throw new ParameterResolutionException(p + ": FaultProxy needs @RedisTest(proxied = true)");
            }
            return proxies;
        }

        String clientUri(int i) {
            return proxies.isEmpty() ? nodes.get(i).uri() : proxies.get(i).uri();
        }

        Object resolveTopology(ExtensionContext ec, Parameter p, Kind kind) {
            if (kind == Kind.SENTINEL && sentinel != null) {
                return sentinel;
            }
            if (kind == Kind.CLUSTER && cluster != null) {
                return cluster;
            }
            if (kind == Kind.LATCHKEY) {
                return sentinel != null ? connect(ec, p.getType(), sentinel.sentinelUri())
                        : connect(ec, p.getType(), cluster.uris().get(0), true);
            }
            throw new ParameterResolutionException(p + " is not available with @RedisTest(topology = "
                    + config.topology + "); inject " + (sentinel != null ? "EmbeddedRedisSentinel" : "EmbeddedRedisCluster")
                    + " or Latchkey");
        }

        /** Heals whatever the previous test broke, then empties every node. */
        void reset() {
            if (sentinel != null) {
                sentinel.awaitHealthy();
                sentinel.flushAll();
                return;
            }
            if (cluster != null) {
                cluster.flushAll();
                return;
            }
            for (FaultProxy p : proxies) {
                if (p.mode() != FaultProxy.Mode.PASS) {
                    p.mode(FaultProxy.Mode.PASS);
                }
            }
            for (RedisNode n : nodes) {
                if (n instanceof EmbeddedRedis) {
                    EmbeddedRedis e = (EmbeddedRedis) n;
                    if (!e.isRunning()) {
                        e.restart();
                    } else if (e.isPaused()) {
                        e.resume();
                    }
                }
                flushAll(n);
            }
        }

        private static void flushAll(RedisNode n) {
            try {
                Resp.call(n.host(), n.port(), n.password(), java.time.Duration.ofSeconds(5), "FLUSHALL");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("FLUSHALL on " + n + " failed", e);
            }
        }

        @Override
        public void close() {
            proxies.forEach(FaultProxy::close);
            nodes.forEach(RedisNode::close);
            if (sentinel != null) {
                sentinel.close();
            }
            if (cluster != null) {
                cluster.close();
            }
        }

        @Override
        public String toString() {
            return config + " " + nodes;
        }
    }
}
