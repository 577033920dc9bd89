package io.latchkey.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * N independent {@link EmbeddedRedis} nodes (not a cluster, no replication), started in parallel and closed as a
 * group: what Redlock and chaos tests run against.
 *
 * <pre>{@code
 * try (EmbeddedRedisNodes nodes = EmbeddedRedisNodes.start(5)) {
 *     nodes.get(0).kill();
 *     List<String> uris = nodes.uris();
 * }
 * }</pre>
 */
public final class EmbeddedRedisNodes implements AutoCloseable, Iterable<EmbeddedRedis> {

    private final List<EmbeddedRedis> nodes;

    private EmbeddedRedisNodes(List<EmbeddedRedis> nodes) {
        this.nodes = Collections.unmodifiableList(nodes);
    }

    /** Starts {@code count} default nodes (free ports, no persistence). */
    public static EmbeddedRedisNodes start(int count) {
        return start(count, UnaryOperator.identity());
    }

    /**
     * Starts {@code count} nodes, each from a fresh {@link EmbeddedRedis#builder()} passed through {@code options}
     * (e.g. {@code b -> b.appendOnly(true)}). If any node fails to start, the others are closed and the error thrown.
     */
    public static EmbeddedRedisNodes start(int count, UnaryOperator<EmbeddedRedis.Builder> options) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1: " + count);
        }
        Objects.requireNonNull(options, "options");
        List<CompletableFuture<EmbeddedRedis>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            CompletableFuture<EmbeddedRedis> f = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                try {
                    f.complete(options.apply(EmbeddedRedis.builder()).start());
                } catch (Throwable e) {
                    f.completeExceptionally(e);
                }
            }, "latchkey-redis-start-" + i);
            t.setDaemon(true);
            t.start();
            futures.add(f);
        }
        List<EmbeddedRedis> started = new ArrayList<>();
        RuntimeException failure = null;
        for (CompletableFuture<EmbeddedRedis> f : futures) {
            try {
                started.add(f.join());
            } catch (CompletionException e) {
                Throwable cause = e.getCause();
                RuntimeException re = cause instanceof RuntimeException ? (RuntimeException) cause
                        : new IllegalStateException(cause);
                if (failure == null) {
                    failure = re;
                } else {
                    failure.addSuppressed(re);
                }
            }
        }
        if (failure != null) {
            started.forEach(EmbeddedRedis::close);
            throw failure;
        }
        return new EmbeddedRedisNodes(started);
    }

    /** Node {@code i} (0-based). */
    public EmbeddedRedis get(int i) {
        return nodes.get(i);
    }

    /** How many nodes. */
    public int size() {
        return nodes.size();
    }

    /** The nodes, in start order (unmodifiable). */
    public List<EmbeddedRedis> list() {
        return nodes;
    }

    /** Every node's {@link EmbeddedRedis#uri()}, in order. */
    public List<String> uris() {
        return nodes.stream().map(EmbeddedRedis::uri).collect(Collectors.toUnmodifiableList());
    }

    @Override
    public Iterator<EmbeddedRedis> iterator() {
        return nodes.iterator();
    }

    /** Closes every node. Idempotent; never throws. */
    @Override
    public void close() {
        nodes.forEach(EmbeddedRedis::close);
    }

    @Override
    public String toString() {
        return "EmbeddedRedisNodes" + nodes;
    }
}
