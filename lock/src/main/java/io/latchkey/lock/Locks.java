package io.latchkey.lock;

import io.latchkey.core.Latchkey;
import io.latchkey.core.spi.Keys;
import java.util.Objects;

/**
 * Entry point of single-instance lease locks on one Redis (standalone, or Redis Cluster: every key of a lock shares
 * one hash tag).
 *
 * <pre>{@code
 * Locks locks = Locks.of(latchkey);
 * DistributedLock lock = locks.lock("order:42");
 * }</pre>
 *
 * <p>Lock objects are cheap and thread-safe; create them per name as needed. See {@code docs/locks.md}.
 */
public final class Locks {

    private final Latchkey latchkey;

    private Locks(Latchkey latchkey) {
        this.latchkey = latchkey;
    }

    /** Locks on the given client. */
    public static Locks of(Latchkey latchkey) {
        return new Locks(Objects.requireNonNull(latchkey, "latchkey"));
    }

    /**
     * The lock of that name with default options.
     *
     * @param name at most 256 characters, no braces; the metrics group is the part before the first ':'
     */
    public DistributedLock lock(String name) {
        return lock(name, LockOptions.defaults());
    }

    /** The lock of that name with the given options. */
    public DistributedLock lock(String name, LockOptions options) {
        Keys.validateName(name, "name");
        Objects.requireNonNull(options, "options");
        return new RedisLock(latchkey, name, options);
    }

    /**
     * A resource that accepts writes only from the newest lease (see {@link FencedResource}).
     *
     * @param name at most 256 characters, no braces
     */
    public FencedResource fencedResource(String name) {
        Keys.validateName(name, "name");
        return new RedisFencedResource(latchkey, name);
    }
}
