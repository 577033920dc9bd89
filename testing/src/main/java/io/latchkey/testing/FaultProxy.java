package io.latchkey.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-process TCP proxy on {@code 127.0.0.1} in front of a Redis node, whose {@link Mode} injects network faults.
 * A mode applies at once to existing and new connections.
 *
 * <pre>{@code
 * try (EmbeddedRedis redis = EmbeddedRedis.start(); FaultProxy proxy = FaultProxy.start(redis)) {
 *     RedisClient client = RedisClient.create(proxy.uri());   // connect through the proxy
 *     proxy.mode(FaultProxy.Mode.BLACKHOLE);                  // commands now time out
 *     proxy.mode(FaultProxy.Mode.PASS);                       // broken connections are closed; client reconnects
 * }
 * }</pre>
 *
 * <p>Healing closes (DESIGN 3.11): leaving {@link Mode#BLACKHOLE} or {@link Mode#FREEZE} for any other mode closes
 * every connection that lost or held bytes during the fault, because a real client would otherwise read misaligned
 * replies; a client with auto-reconnect then reconnects cleanly. One platform thread accepts, two pump per
 * connection (blocking I/O, daemon threads). Thread-safe.
 */
public final class FaultProxy implements AutoCloseable {

    /** What the proxy does with traffic. */
    public enum Mode {
        /** Forward bytes both ways unchanged. */
        PASS,
        /** Forward bytes both ways after {@link FaultProxy#delay(Duration) the delay} (each read chunk waits). */
        DELAY,
        /** Keep reading both sides and discard every byte: the peer sees silence, never an error. */
        BLACKHOLE,
        /** Stop reading both sides: bytes pile up in socket buffers (backpressure), nothing is delivered. */
        FREEZE,
        /** Abort every connection with an RST ({@code SO_LINGER 0}); new connections are accepted and reset. */
        RESET,
        /** Close every connection with a FIN; new connections are accepted and closed. */
        CLOSE,
        /**
         * Forward the next client command to the server, swallow the server's reply to it, then close that client
         * connection; afterwards the proxy returns to {@link #PASS} by itself. A client that re-sends in-flight
         * commands after reconnecting thereby executes the command twice (a "replay").
         */
        DROP_NEXT_REPLY_THEN_CLOSE,
        /**
         * As {@link #DROP_NEXT_REPLY_THEN_CLOSE}, but the client connection is aborted with an RST
         * ({@code SO_LINGER 0}) once the reply reached the proxy: the command ran, and the client reads
         * "connection reset by peer" with the command in flight.
         */
        DROP_NEXT_REPLY_THEN_RESET,
        /** Close the listening socket (connects are refused) and every existing connection. */
        REFUSE
    }

    private final String targetHost;
    private final int targetPort;
    private final String password;

    private final Object lock = new Object();
    private volatile Mode mode = Mode.PASS;
    private volatile long delayNanos = TimeUnit.MILLISECONDS.toNanos(100);
    private ServerSocket listener;
    private Thread acceptor;
    private final int port;
    private volatile boolean closed;

    private final Set<Conn> conns = ConcurrentHashMap.newKeySet();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicBoolean dropClaimed = new AtomicBoolean();

    private FaultProxy(String targetHost, int targetPort, String password) {
        this.targetHost = Objects.requireNonNull(targetHost, "targetHost");
        this.targetPort = targetPort;
        this.password = password;
        this.listener = openListener(0);
        this.port = listener.getLocalPort();
        startAcceptor(listener);
    }

    /** A proxy in front of {@code node}; {@link #uri()} keeps the node's password. */
    public static FaultProxy start(EmbeddedRedis node) {
        return start((RedisNode) node);
    }

    /** A proxy in front of any {@link RedisNode}; {@link #uri()} keeps the node's password. */
    public static FaultProxy start(RedisNode node) {
        Objects.requireNonNull(node, "node");
        return new FaultProxy(node.host(), node.port(), node.password());
    }

    /** A proxy in front of {@code host:port}. */
    public static FaultProxy start(String host, int port) {
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in 1..65535: " + port);
        }
        return new FaultProxy(host, port, null);
    }

    /** The proxy's listening port on 127.0.0.1 (stable across {@link Mode#REFUSE}). */
    public int port() {
        return port;
    }

    /** The proxy's host, {@code 127.0.0.1}. */
    public String host() {
        return "127.0.0.1";
    }

    /** {@code redis://127.0.0.1:<proxyPort>}, with the target's password if it has one. */
    public String uri() {
        return EmbeddedRedis.uri(host(), port, password);
    }

    /** The current mode. */
    public Mode mode() {
        return mode;
    }

    /** The delay {@link Mode#DELAY} adds. */
    public Duration delay() {
        return Duration.ofNanos(delayNanos);
    }

    /** Sets the delay and switches to {@link Mode#DELAY}. */
    public FaultProxy delay(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must be >= 0: " + delay);
        }
        delayNanos = delay.toNanos();
        return mode(Mode.DELAY);
    }

    /** Connections accepted since start (including ones reset or closed on arrival). */
    public long connectionsAccepted() {
        return accepted.get();
    }

    /** Bytes forwarded in both directions since start. */
    public long bytesForwarded() {
        return forwarded.get();
    }

    /** Connections currently open through the proxy. */
    public int openConnections() {
        return conns.size();
    }

    /** Switches mode; takes effect on existing and new connections before this returns. */
    public FaultProxy mode(Mode newMode) {
        Objects.requireNonNull(newMode, "mode");
        Thread stoppedAcceptor = null;
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("proxy is closed");
            }
            Mode prev = mode;
            boolean prevBroken = prev == Mode.BLACKHOLE || prev == Mode.FREEZE;
            boolean nextBroken = newMode == Mode.BLACKHOLE || newMode == Mode.FREEZE;
            if (prevBroken && !nextBroken) {
                for (Conn c : conns) {
                    if (c.broken || c.hasPendingInput()) {
                        c.close();
                    }
                }
            }
            if (newMode == Mode.DROP_NEXT_REPLY_THEN_CLOSE || newMode == Mode.DROP_NEXT_REPLY_THEN_RESET) {
                dropClaimed.set(false);
            }
            mode = newMode;
            lock.notifyAll();
            switch (newMode) {
                case RESET:
                    conns.forEach(Conn::reset);
                    break;
                case CLOSE:
                    conns.forEach(Conn::close);
                    break;
                case REFUSE:
                    if (prev != Mode.REFUSE) {
                        closeQuietly(listener);
                        stoppedAcceptor = acceptor;
                    }
                    conns.forEach(Conn::close);
                    break;
                default:
                    break;
            }
            if (prev == Mode.REFUSE && newMode != Mode.REFUSE) {
                listener = openListener(port);
                startAcceptor(listener);
            }
        }
        awaitExit(stoppedAcceptor);
        return this;
    }

    /**
     * A thread blocked in accept() keeps the kernel's listening socket alive until it returns, so refusing is only
     * certain once the acceptor has exited. Called without holding the lock (the acceptor may need it).
     */
    private static void awaitExit(Thread t) {
        if (t == null) {
            return;
        }
        try {
            t.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops listening and closes every connection. Idempotent; never throws. */
    @Override
    public void close() {
        Thread stoppedAcceptor;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            closeQuietly(listener);
            stoppedAcceptor = acceptor;
            conns.forEach(Conn::close);
            lock.notifyAll();
        }
        awaitExit(stoppedAcceptor);
        conns.forEach(Conn::close); // anything the acceptor registered meanwhile
    }

    @Override
    public String toString() {
        return "FaultProxy[127.0.0.1:" + port + " -> " + targetHost + ":" + targetPort + ", " + mode + "]";
    }

    // ------------------------------------------------------------------ internals

    private static ServerSocket openListener(int port) {
        try {
            ServerSocket ss = new ServerSocket();
            ss.setReuseAddress(true);
            ss.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 128);
            return ss;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
        }
    }

    private void startAcceptor(ServerSocket ss) {
        Thread t = new Thread(() -> acceptLoop(ss), "latchkey-proxy-" + ss.getLocalPort() + "-accept");
        t.setDaemon(true);
        acceptor = t;
        t.start();
    }

    private void acceptLoop(ServerSocket ss) {
        while (!ss.isClosed()) {
            Socket client;
            try {
                client = ss.accept();
            } catch (IOException e) {
                return; // listener closed (REFUSE or close())
            }
            accepted.incrementAndGet();
            try {
                handle(client);
            } catch (RuntimeException e) {
                closeQuietly(client);
            }
        }
    }

    private void handle(Socket client) {
        Mode m = mode;
        if (closed || m == Mode.RESET) {
            rst(client);
            return;
        }
        if (m == Mode.CLOSE || m == Mode.REFUSE) {
            fin(client);
            return;
        }
        Socket server = new Socket();
        try {
            server.connect(new InetSocketAddress(targetHost, targetPort), 2000);
            client.setTcpNoDelay(true);
            server.setTcpNoDelay(true);
        } catch (IOException e) {
            closeQuietly(server);
            rst(client); // target down: the client sees a reset, like a dead server would give
            return;
        }
        Conn c = new Conn(client, server);
        conns.add(c);
        // a mode switch may have iterated over conns before we were added
        synchronized (lock) {
            Mode now = mode;
            if (closed || now == Mode.REFUSE || now == Mode.CLOSE) {
                c.close();
                return;
            }
            if (now == Mode.RESET) {
                c.reset();
                return;
            }
        }
        startPump(c, client, server, true);
        startPump(c, server, client, false);
    }

    private void startPump(Conn c, Socket from, Socket to, boolean clientToServer) {
        Thread t = new Thread(() -> pump(c, from, to, clientToServer),
                "latchkey-proxy-" + port + (clientToServer ? "-c2s-" : "-s2c-") + from.getPort());
        t.setDaemon(true);
        t.start();
    }

    private void pump(Conn c, Socket from, Socket to, boolean clientToServer) {
        byte[] buf = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            while (!c.closed) {
                int n = in.read(buf);
                if (n < 0 || !deliver(c, buf, n, out, clientToServer)) {
                    break;
                }
            }
        } catch (IOException e) {
            // peer reset or we closed it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            c.close();
        }
    }

    /** Applies the current mode to one chunk; false ends the connection. */
    private boolean deliver(Conn c, byte[] buf, int n, OutputStream out, boolean clientToServer)
            throws IOException, InterruptedException {
        if (!clientToServer && c.dropReply) {
            // the reply to the command we let through: swallow it and hang up on the client
            if (c.resetOnReply) {
                c.reset();
            } else {
                c.close();
            }
            synchronized (lock) {
                if (mode == Mode.DROP_NEXT_REPLY_THEN_CLOSE || mode == Mode.DROP_NEXT_REPLY_THEN_RESET) {
                    mode = Mode.PASS;
                    lock.notifyAll();
                }
            }
            return false;
        }
        while (true) {
            Mode m = mode;
            switch (m) {
                case PASS:
                    write(out, buf, n);
                    return true;
                case DELAY:
                    TimeUnit.NANOSECONDS.sleep(delayNanos);
                    write(out, buf, n);
                    return true;
                case BLACKHOLE:
                    c.broken = true;
                    return true;
                case FREEZE:
                    c.broken = true;
                    synchronized (lock) {
                        while (mode == Mode.FREEZE && !c.closed && !closed) {
                            lock.wait();
                        }
                    }
                    if (c.closed || closed) {
                        return false;
                    }
                    continue; // re-apply whatever mode we were released into
                case DROP_NEXT_REPLY_THEN_CLOSE:
                case DROP_NEXT_REPLY_THEN_RESET:
                    if (clientToServer && dropClaimed.compareAndSet(false, true)) {
                        c.resetOnReply = m == Mode.DROP_NEXT_REPLY_THEN_RESET;
                        c.dropReply = true;
                    }
                    write(out, buf, n);
                    return true;
                case RESET:
                case CLOSE:
                case REFUSE:
                default:
                    return false;
            }
        }
    }

    private void write(OutputStream out, byte[] buf, int n) throws IOException {
        forwarded.addAndGet(n); // counted before the peer can see them
        out.write(buf, 0, n);
        out.flush();
    }

    private static void rst(Socket s) {
        try {
            s.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // closing anyway
        }
        closeQuietly(s);
    }

    private static void fin(Socket s) {
        try {
            if (!s.isClosed()) {
                s.shutdownOutput();
            }
        } catch (IOException ignored) {
            // closing anyway
        }
        closeQuietly(s);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception ignored) {
            // nothing to do
        }
    }

    /** One proxied connection: the client's socket and ours to the target. */
    private final class Conn {
        final Socket client;
        final Socket server;
        volatile boolean closed;
        volatile boolean broken;
        volatile boolean dropReply;
        volatile boolean resetOnReply;
        private final AtomicBoolean closing = new AtomicBoolean();

        Conn(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        boolean hasPendingInput() {
            try {
                return client.getInputStream().available() > 0 || server.getInputStream().available() > 0;
            } catch (IOException e) {
                return true;
            }
        }

        void close() {
            if (closing.compareAndSet(false, true)) {
                closed = true;
                fin(client);
                fin(server);
                conns.remove(this);
                wake();
            }
        }

        void reset() {
            if (closing.compareAndSet(false, true)) {
                closed = true;
                rst(client);
                rst(server);
                conns.remove(this);
                wake();
            }
        }

        private void wake() {
            synchronized (lock) {
                lock.notifyAll();
            }
        }
    }
}
