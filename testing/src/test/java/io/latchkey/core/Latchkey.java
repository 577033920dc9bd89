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
    private volatile boolean closed;

    private Latchkey(String uri) {
        this.uri = uri;
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
