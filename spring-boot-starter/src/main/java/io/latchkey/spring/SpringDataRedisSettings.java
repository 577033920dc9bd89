package io.latchkey.spring;

import io.latchkey.core.Latchkey;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Boot's {@code spring.data.redis.*} keys, bound straight from the environment so that an application without
 * spring-data-redis on its classpath configures Latchkey with the same keys (Boot's own properties class lives in
 * {@code spring-boot-data-redis} since Boot 4). Same semantics as Boot: {@code url} overrides host, port, username,
 * password and database; {@code cluster.nodes} wins over host and port.
 */
final class SpringDataRedisSettings {

    static final String PREFIX = "spring.data.redis";

    // JavaBean fields bound by Boot's Binder, names as in Boot's DataRedisProperties
    private String url;
    private String host = "localhost";
    private int port = 6379;
    private String username;
    private String password;
    private int database;
    private Duration timeout;
    private Duration connectTimeout;
    private String clientName;
    private final Ssl ssl = new Ssl();
    private final Cluster cluster = new Cluster();
    private final Sentinel sentinel = new Sentinel();

    static SpringDataRedisSettings bind(Environment environment) {
        return Binder.get(environment).bind(PREFIX, Bindable.of(SpringDataRedisSettings.class))
                .orElseGet(SpringDataRedisSettings::new);
    }

    /** The command timeout Boot's Redis clients use, if set. */
    Duration timeout() {
        return timeout;
    }

    /** Applies the connection settings to {@code builder}: URI, cluster mode, connect timeout. */
    void applyTo(Latchkey.Builder builder) {
        if (ssl.getBundle() != null && !ssl.getBundle().isBlank()) {
            throw new IllegalStateException(PREFIX + ".ssl.bundle=" + ssl.getBundle() + ": Latchkey's auto-configuration"
                    + " cannot use SSL bundles. Set " + PREFIX + ".ssl.enabled=true and latchkey.ssl.trusted-certificates"
                    + " (a PEM file of the CA) instead, or define your own Latchkey bean");
        }
        if (connectTimeout != null) {
            builder.connectTimeout(connectTimeout);
        }
        if (!sentinel.getNodes().isEmpty() || sentinel.getMaster() != null) {
            applySentinel(builder);
            return;
        }
        if (!cluster.getNodes().isEmpty()) {
            // Latchkey takes one seed node; the client discovers the others from it (CLUSTER SLOTS)
            String seed = cluster.getNodes().get(0).trim();
            builder.uri(uri(ssl.isEnabled(), username, password, seed, 0)).cluster(true);
            return;
        }
        if (url != null && !url.isBlank()) {
            builder.uri(fromUrl(url));
            return;
        }
        builder.uri(uri(ssl.isEnabled(), username, password, hostAndPort(host, port), database));
    }

    /** Sentinel: the sentinels find the primary on every (re)connect; the credentials are the data nodes'. */
    private void applySentinel(Latchkey.Builder builder) {
        String master = sentinel.getMaster();
        if (master == null || master.isBlank() || sentinel.getNodes().isEmpty()) {
            throw new IllegalStateException(PREFIX + ".sentinel needs both master and nodes (host:port,...), was master="
                    + master + " nodes=" + sentinel.getNodes());
        }
        if (sentinel.getPassword() != null && !sentinel.getPassword().isEmpty()) {
            throw new IllegalStateException(PREFIX + ".sentinel.password is set: Latchkey does not authenticate to"
                    + " the sentinels themselves yet; define your own Latchkey bean or run the sentinels without one");
        }
        if (database != 0) {
            throw new IllegalStateException(PREFIX + ".database=" + database + " with " + PREFIX + ".sentinel:"
                    + " Latchkey connects through Sentinel to database 0 only");
        }
        List<String> nodes = new ArrayList<>();
        for (String node : sentinel.getNodes()) {
            nodes.add(node.trim());
        }
        builder.sentinel(master, nodes).tls(ssl.isEnabled());
        if (password != null && !password.isEmpty()) {
            builder.credentials(username == null || username.isBlank() ? null : username, password);
        }
    }

    /** Boot's url form, with clientName added when configured. */
    private String fromUrl(String raw) {
        URI parsed = URI.create(raw);
        String scheme = parsed.getScheme();
        if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
            throw new IllegalStateException(PREFIX + ".url must start with redis:// or rediss://, was " + scheme
                    + "://...");
        }
        if (ssl.isEnabled() && "redis".equals(scheme)) {
            raw = "rediss" + raw.substring("redis".length());
        }
        return withClientName(raw);
    }

    private String uri(boolean tls, String user, String secret, String hostPort, int db) {
        StringBuilder b = new StringBuilder(tls ? "rediss://" : "redis://");
        if (secret != null && !secret.isEmpty()) {
            if (user != null && !user.isEmpty()) {
                b.append(encode(user));
            }
            b.append(':').append(encode(secret)).append('@');
        }
        b.append(hostPort);
        if (db != 0) {
            b.append('/').append(db);
        }
        return withClientName(b.toString());
    }

    private String withClientName(String uri) {
        if (clientName == null || clientName.isBlank()) {
            return uri;
        }
        return uri + (uri.contains("?") ? "&" : "?") + "clientName=" + encode(clientName);
    }

    private static String hostAndPort(String host, int port) {
        return (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }

    /** Percent-encodes everything but RFC 3986 unreserved characters (user info and query values). */
    static String encode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte c : s.getBytes(StandardCharsets.UTF_8)) {
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.write(c);
            } else {
                out.writeBytes(String.format("%%%02X", c & 0xff).getBytes(StandardCharsets.US_ASCII));
            }
        }
        return out.toString(StandardCharsets.US_ASCII);
    }

    /** For the Binder. */
    public String getUrl() {
        return url;
    }

    /** For the Binder. */
    public void setUrl(String url) {
        this.url = url;
    }

    /** For the Binder. */
    public String getHost() {
        return host;
    }

    /** For the Binder. */
    public void setHost(String host) {
        this.host = host;
    }

    /** For the Binder. */
    public int getPort() {
        return port;
    }

    /** For the Binder. */
    public void setPort(int port) {
        this.port = port;
    }

    /** For the Binder. */
    public String getUsername() {
        return username;
    }

    /** For the Binder. */
    public void setUsername(String username) {
        this.username = username;
    }

    /** For the Binder. */
    public String getPassword() {
        return password;
    }

    /** For the Binder. */
    public void setPassword(String password) {
        this.password = password;
    }

    /** For the Binder. */
    public int getDatabase() {
        return database;
    }

    /** For the Binder. */
    public void setDatabase(int database) {
        this.database = database;
    }

    /** For the Binder. */
    public Duration getTimeout() {
        return timeout;
    }

    /** For the Binder. */
    public void setTimeout(Duration timeout) {
        this.timeout = timeout;
    }

    /** For the Binder. */
    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    /** For the Binder. */
    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    /** For the Binder. */
    public String getClientName() {
        return clientName;
    }

    /** For the Binder. */
    public void setClientName(String clientName) {
        this.clientName = clientName;
    }

    /** For the Binder. */
    public Ssl getSsl() {
        return ssl;
    }

    /** For the Binder. */
    public Cluster getCluster() {
        return cluster;
    }

    /** For the Binder. */
    public Sentinel getSentinel() {
        return sentinel;
    }

    /** {@code spring.data.redis.ssl.*}. */
    public static final class Ssl {
        private Boolean enabled;
        private String bundle;

        /** TLS when enabled, or when a bundle is named (as in Boot). */
        boolean isEnabled() {
            return enabled != null ? enabled : bundle != null;
        }

        /** For the Binder. */
        public Boolean getEnabled() {
            return enabled;
        }

        /** For the Binder. */
        public void setEnabled(Boolean enabled) {
            this.enabled = enabled;
        }

        /** For the Binder. */
        public String getBundle() {
            return bundle;
        }

        /** For the Binder. */
        public void setBundle(String bundle) {
            this.bundle = bundle;
        }
    }

    /** {@code spring.data.redis.cluster.*}. */
    public static final class Cluster {
        private List<String> nodes = new ArrayList<>();

        /** For the Binder. */
        public List<String> getNodes() {
            return nodes;
        }

        /** For the Binder. */
        public void setNodes(List<String> nodes) {
            this.nodes = nodes;
        }
    }

    /** {@code spring.data.redis.sentinel.*}. */
    public static final class Sentinel {
        private String master;
        private List<String> nodes = new ArrayList<>();
        private String password;

        /** For the Binder. */
        public String getPassword() {
            return password;
        }

        /** For the Binder. */
        public void setPassword(String password) {
            this.password = password;
        }

        /** For the Binder. */
        public String getMaster() {
            return master;
        }

        /** For the Binder. */
        public void setMaster(String master) {
            this.master = master;
        }

        /** For the Binder. */
        public List<String> getNodes() {
            return nodes;
        }

        /** For the Binder. */
        public void setNodes(List<String> nodes) {
            this.nodes = nodes;
        }
    }
}
