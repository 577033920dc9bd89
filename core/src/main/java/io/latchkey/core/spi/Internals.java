package io.latchkey.core.spi;

import io.latchkey.core.Latchkey;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

/**
 * What Latchkey modules need of a {@link Latchkey} beyond its user-facing methods: the command executor, key
 * building, the pub/sub connection and the shared scheduler. Reached with {@link #of(Latchkey)}; no public method of
 * {@code Latchkey} returns it, so none of these types is part of the public API, and on the module path this package
 * is exported only to Latchkey's own modules.
 */
public final class Internals {

    private static volatile Function<Latchkey, Internals> access;

    private final RedisExecutor redis;
    private final Keys keys;
    private final Notifications notifications;
    private final ScheduledExecutorService scheduler;

    /** Created by {@code Latchkey} for itself; a hand-made instance reaches nothing. */
    public Internals(RedisExecutor redis, Keys keys, Notifications notifications, ScheduledExecutorService scheduler) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.notifications = Objects.requireNonNull(notifications, "notifications");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    /**
     * The access bridge: {@code Latchkey}'s static initialiser hands over how to read a client's internals, once. A
     * second call fails, so nothing can replace it later.
     */
    public static synchronized void grantAccess(Function<Latchkey, Internals> bridge) {
        Objects.requireNonNull(bridge, "bridge");
        if (access != null) {
            throw new IllegalStateException("access to Latchkey's internals is already granted");
        }
        access = bridge;
    }

    /** The internals of {@code latchkey}. */
    public static Internals of(Latchkey latchkey) {
        Objects.requireNonNull(latchkey, "latchkey");
        // set by Latchkey's static initialiser, which has run: an instance exists
        return access.apply(latchkey);
    }

    /** The one way to send commands and scripts. */
    public RedisExecutor redis() {
        return redis;
    }

    /** Key and channel names in the client's namespace. */
    public Keys keys() {
        return keys;
    }

    /** The shared pub/sub connection. */
    public Notifications notifications() {
        return notifications;
    }

    /** One shared scheduler for watchdogs, waits and retries. Tasks must not block. */
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }
}
