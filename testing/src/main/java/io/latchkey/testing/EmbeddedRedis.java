package io.latchkey.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} process on {@code 127.0.0.1}, started and owned by this JVM.
 *
 * <pre>{@code
 * try (EmbeddedRedis redis = EmbeddedRedis.start()) {      // free port, no persistence
 *     RedisClient.create(redis.uri());
 *     redis.pause();  redis.resume();                       // SIGSTOP / SIGCONT
 *     redis.kill();   redis.restart();                      // SIGKILL, then same port and data dir
 * }
 * }</pre>
 *
 * <p>The binary is {@code $LATCHKEY_REDIS_SERVER} (or {@code -Dlatchkey.redis.server}) when set, otherwise the
 * one bundled in {@code com.github.codemonstur:embedded-redis}, extracted once per JVM. Every node has its own
 * temporary directory ({@code dir}, config file, log), deleted by {@link #close()}. Persistence is off unless
 * {@link Builder#appendOnly(boolean)} is set. A single shutdown hook kills every node still alive when the JVM
 * exits. Instances are thread-safe.
 */
public final class EmbeddedRedis implements RedisNode {

    private static final String HOST = "127.0.0.1";
    private static final int PORT_ATTEMPTS = 8;

    private final String binary;
    private final boolean fixedPort;
    private final boolean clusterBusPort;
    private final boolean sentinelMode;
    private final boolean appendOnly;
    private final String password;
    private final List<String> extraConfig;
    private final Duration startTimeout;
    private final Path dir;

    private int port;
    private Process process;
    private boolean paused;
    private boolean closed;
    private String version;

    private EmbeddedRedis(Builder b) {
        this.binary = RedisBinary.path();
        this.fixedPort = b.port != 0;
        this.port = b.port;
        this.clusterBusPort = b.clusterBusPort;
        this.sentinelMode = b.sentinelMode;
        this.appendOnly = b.appendOnly;
        this.password = b.password;
        this.extraConfig = List.copyOf(b.config);
        this.startTimeout = b.startTimeout;
        try {
            this.dir = Files.createTempDirectory("latchkey-redis-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temp dir for redis-server", e);
        }
    }

    /** Starts a node with the defaults: a free port, no password, no persistence. */
    public static EmbeddedRedis start() {
        return builder().start();
    }

    /** A builder for a node with options. */
    public static Builder builder() {
        return new Builder();
    }

    /** The {@code redis-server} binary nodes are started from (override or extracted bundled binary). */
    public static String serverBinary() {
        return RedisBinary.path();
    }

    /** Options for one node; {@link #start()} launches it and waits until it answers PING. */
    public static final class Builder {
        private int port;
        private boolean appendOnly;
        private boolean clusterBusPort;
        private boolean sentinelMode;
        private String password;
        private final List<String> config = new ArrayList<>();
        private Duration startTimeout = Duration.ofSeconds(15);

        private Builder() {
        }

        /** A fixed port; default 0 = pick a free one (retried on a bind race). */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be in 0..65535: " + port);
            }
            this.port = port;
            return this;
        }

        /** Turns on AOF persistence with {@code appendfsync always}, so acknowledged writes survive a restart. */
        public Builder appendOnly(boolean appendOnly) {
            this.appendOnly = appendOnly;
            return this;
        }

        /** Sets {@code requirepass}; {@link EmbeddedRedis#uri()} then carries it. */
        public Builder password(String password) {
            if (password != null && password.isEmpty()) {
                throw new IllegalArgumentException("password must not be empty (use null for none)");
            }
            this.password = password;
            return this;
        }

        /** Extra redis.conf lines, e.g. {@code "maxmemory 10mb"}; they come last, so they override defaults. */
        public Builder config(String... lines) {
            for (String l : Objects.requireNonNull(lines, "lines")) {
                config.add(Objects.requireNonNull(l, "config line"));
            }
            return this;
        }

        /** How long {@link #start()} and restarts wait for the first PONG; default 15 s. */
        public Builder startTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("startTimeout must be > 0");
            }
            this.startTimeout = timeout;
            return this;
        }

        /** Picks a free port whose cluster bus port (port + 10000) is free too. */
        Builder clusterBusPort(boolean on) {
            this.clusterBusPort = on;
            return this;
        }

        /** Runs the binary as a Sentinel ({@code redis-server <conf> --sentinel}); the config then needs a monitor. */
        Builder sentinelMode(boolean on) {
            this.sentinelMode = on;
            return this;
        }

        /** Launches the node and waits until it answers PING. */
        public EmbeddedRedis start() {
            EmbeddedRedis r = new EmbeddedRedis(this);
            Reaper.register(r);
            try {
                r.launchFirst();
                return r;
            } catch (RuntimeException | Error e) {
                r.close();
                throw e;
            }
        }
    }

    // ------------------------------------------------------------------ lifecycle

    private synchronized void launchFirst() {
        RuntimeException last = null;
        for (int attempt = 0; attempt < (fixedPort ? 1 : PORT_ATTEMPTS); attempt++) {
            if (!fixedPort) {
                port = freePort(clusterBusPort);
            }
            try {
                launch();
                return;
            } catch (BindRaceException e) {
                last = e;
            }
        }
        throw last;
    }

    /** Starts the process on {@link #port} and waits for PONG. Caller holds the monitor. */
    private void launch() {
        Path conf = dir.resolve("redis.conf");
        Path log = dir.resolve("redis.log");
        try {
            Files.write(conf, configLines(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + conf, e);
        }
        List<String> cmd = new ArrayList<>(List.of(binary, conf.toString()));
        if (sentinelMode) {
            cmd.add("--sentinel");
        }
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run redis-server " + binary + ": " + e.getMessage(), e);
        }
        paused = false;
        long deadline = System.nanoTime() + startTimeout.toNanos();
        IOException lastError = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                String tail = logTail();
                if (!fixedPort && tail.contains("Address already in use")) {
                    throw new BindRaceException("port " + port + " taken: " + tail);
                }
                throw new IllegalStateException("redis-server exited with code " + process.exitValue()
                        + " while starting on port " + port + " (binary " + binary + "); log tail:\n" + tail);
            }
            try (Resp r = Resp.connect(HOST, port, password, Duration.ofMillis(500))) {
                r.call("PING");
                if (version == null) {
                    version = Resp.infoField(r.call("INFO", "server"), "redis_version");
                }
                return;
            } catch (IOException | Resp.RespError e) {
                lastError = e instanceof IOException ? (IOException) e : new IOException(e.getMessage(), e);
            }
            try {
                Thread.sleep(10); // polling a child process' readiness; nothing to be notified by
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                destroy();
                throw new IllegalStateException("interrupted while starting redis-server", e);
            }
        }
        destroy();
        throw new IllegalStateException("redis-server did not answer PING on " + HOST + ":" + port + " within "
                + startTimeout + " (last error: " + lastError + "); log tail:\n" + logTail());
    }

    private List<String> configLines() {
        List<String> lines = new ArrayList<>();
        lines.add("port " + port);
        lines.add("bind " + HOST);
        lines.add("dir \"" + dir + "\"");
        lines.add("daemonize no");
        lines.add("logfile \"\"");
        if (!sentinelMode) {
            lines.add("save \"\"");
        }
        if (sentinelMode) {
            // a sentinel keeps no data; it rewrites its config file with what it learns
        } else if (appendOnly) {
            lines.add("appendonly yes");
            lines.add("appendfsync always");
        } else {
            lines.add("appendonly no");
        }
        if (password != null) {
            lines.add("requirepass \"" + password.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
        } else {
            lines.add("protected-mode no");
        }
        lines.addAll(extraConfig);
        return lines;
    }

    private static int freePort(boolean withBusPort) {
        for (int i = 0; i < 50; i++) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
                int p = s.getLocalPort();
                if (!withBusPort) {
                    return p;
                }
                if (p + 10000 <= 65535) {
                    try (ServerSocket bus = new ServerSocket(p + 10000, 1, InetAddress.getByName(HOST))) {
                        return p;
                    } catch (IOException busTaken) {
                        // try another
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot find a free port", e);
            }
        }
        throw new IllegalStateException("cannot find a free port pair (port, port+10000)");
    }

    /** The last lines of this node's log (stdout and stderr of redis-server). */
    public String logTail() {
        Path log = dir.resolve("redis.log");
        try {
            if (!Files.exists(log)) {
                return "(no log)";
            }
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - 25), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read log: " + e + ")";
        }
    }

    private void destroy() {
        Process p = process;
        if (p != null && p.isAlive()) {
            p.destroyForcibly(); // SIGKILL, also works on a SIGSTOPped process
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("redis-server pid " + p.pid() + " did not die after SIGKILL");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        paused = false;
    }

    private void signal(String sig) {
        Process p = requireRunning();
        try {
            Process k = new ProcessBuilder("kill", "-" + sig, Long.toString(p.pid())).redirectErrorStream(true).start();
            String out = new String(k.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (k.waitFor() != 0) {
                throw new IllegalStateException("kill -" + sig + " " + p.pid() + " failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run kill -" + sig, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted sending SIG" + sig, e);
        }
    }

    private Process requireRunning() {
        if (closed) {
            throw new IllegalStateException("node on port " + port + " is closed");
        }
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException("redis-server on port " + port + " is not running");
        }
        return process;
    }

    /** Freezes the process with SIGSTOP: connections stay open, nothing is answered. */
    public synchronized void pause() {
        signal("STOP");
        paused = true;
    }

    /** Resumes a {@link #pause() paused} process with SIGCONT. */
    public synchronized void resume() {
        signal("CONT");
        paused = false;
    }

    /** Whether the process is currently stopped by {@link #pause()}. */
    public synchronized boolean isPaused() {
        return paused && isRunning();
    }

    /** Kills the process with SIGKILL (no shutdown save) and waits until it has exited. */
    public synchronized void kill() {
        requireRunning();
        destroy();
    }

    /** Kills the process if running, then starts it again on the same port and data dir; waits for PONG. */
    public void restart() {
        restart(Duration.ZERO);
    }

    /**
     * Kills the process if running, stays down for {@code downtime}, then starts it again on the same port and
     * data dir (so the AOF survives when enabled) and waits until it answers PING.
     */
    public synchronized void restart(Duration downtime) {
        Objects.requireNonNull(downtime, "downtime");
        if (closed) {
            throw new IllegalStateException("node on port " + port + " is closed");
        }
        destroy();
        if (!downtime.isZero() && !downtime.isNegative()) {
            try {
                Thread.sleep(downtime.toMillis()); // the requested downtime itself
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted during restart downtime", e);
            }
        }
        // the port was ours a moment ago; a bind race here is a real conflict, but retry briefly
        long deadline = System.nanoTime() + startTimeout.toNanos();
        while (true) {
            try {
                launch();
                return;
            } catch (IllegalStateException e) {
                if (System.nanoTime() > deadline || !logTail().contains("Address already in use")) {
                    throw e;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** Whether the process is alive (paused counts as alive). */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Kills the process and deletes its directory. Idempotent; never throws. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                destroy();
            } catch (RuntimeException ignored) {
                // never throw from close
            }
        }
        Reaper.unregister(this);
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // best effort
        }
    }

    // ------------------------------------------------------------------ accessors

    @Override
    public String host() {
        return HOST;
    }

    @Override
    public synchronized int port() {
        return port;
    }

    @Override
    public String password() {
        return password;
    }

    /** {@code redis://127.0.0.1:<port>}, or {@code redis://:<password>@127.0.0.1:<port>}. */
    @Override
    public String uri() {
        return uri(HOST, port(), password);
    }

    static String uri(String host, int port, String password) {
        if (password == null) {
            return "redis://" + host + ":" + port;
        }
        return "redis://:" + URLEncoder.encode(password, StandardCharsets.UTF_8) + "@" + host + ":" + port;
    }

    /** The OS process id of the running redis-server. */
    public synchronized long pid() {
        return requireRunning().pid();
    }

    /** The server version, e.g. {@code "6.2.6"}, from {@code INFO server}. */
    public synchronized String version() {
        return version;
    }

    /** This node's private directory (config, log, AOF). */
    public Path dataDir() {
        return dir;
    }

    /** Whether AOF persistence ({@code appendfsync always}) is on. */
    public boolean appendOnly() {
        return appendOnly;
    }

    /** Sends one command over a fresh raw connection and returns the reply (String, Long, List or null). */
    public Object command(String... args) {
        try {
            return Resp.call(HOST, port(), password, Duration.ofSeconds(5), args);
        } catch (IOException e) {
            throw new UncheckedIOException("command " + args[0] + " on " + HOST + ":" + port() + " failed", e);
        }
    }

    /**
     * How many times this server ran {@code command} (lower case, e.g. {@code "evalsha"}) since it started or since
     * the last {@code CONFIG RESETSTAT}, from {@code INFO commandstats}; 0 if never.
     */
    public long commandCalls(String command) {
        for (String line : ((String) command("INFO", "commandstats")).split("\r?\n")) {
            if (line.startsWith("cmdstat_" + command + ":")) {
                String calls = line.substring(line.indexOf("calls=") + 6);
                return Long.parseLong(calls.substring(0, calls.indexOf(',')));
            }
        }
        return 0;
    }

    /** {@code FLUSHALL} on this node. */
    public void flushAll() {
        command("FLUSHALL");
    }

    @Override
    public String toString() {
        return "EmbeddedRedis[" + HOST + ":" + port + (isRunning() ? "" : ", down") + "]";
    }

    private static final class BindRaceException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        BindRaceException(String message) {
            super(message);
        }
    }
}
