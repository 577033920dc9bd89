package io.latchkey.core;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Test-only stand-in for latchkey-core's {@code Latchkey} (this module cannot depend on core: core's tests depend on
 * it). It has the one thing {@code RedisExtension} relies on: {@code public static Latchkey connect(String)} and
 * {@code AutoCloseable}. Never on any classpath but this module's tests.
 */
public final class Latchkey implements AutoCloseable {

    /** Every instance created, for assertions. */
    public static final List<Latchkey> CREATED = new CopyOnWriteArrayList<>();

    private final String uri;
    private final boolean cluster;
    private volatile boolean closed;

    private Latchkey(String uri) {
        this(uri, false);
    }

    private Latchkey(String uri, boolean cluster) {
        this.uri = uri;
        this.cluster = cluster;
    }

    /** Same builder methods as the real client's, as far as the extension uses them (cluster mode). */
    public static Builder builder() {
        return new Builder();
    }

    /** The stand-in builder. */
    public static final class Builder {
        private String uri;
        private boolean cluster;

        public Builder uri(String uri) {
            this.uri = uri;
            return this;
        }

        public Builder cluster(boolean cluster) {
            this.cluster = cluster;
            return this;
        }

        public Latchkey build() {
            Latchkey l = new Latchkey(uri, cluster);
            CREATED.add(l);
            return l;
        }
    }

    public boolean isCluster() {
        return cluster;
    }

    /** Same factory signature as the real client. */
    public static Latchkey connect(String uri) {
        Latchkey l = new Latchkey(uri);
        CREATED.add(l);
        return l;
    }

    public String uri() {
        return uri;
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
    }
}
