package io.latchkey.lock;

import java.time.Duration;
import java.util.Objects;

/**
 * The current holder of a lock, as Redis saw it when asked.
 *
 * @param ownerId      the holder's owner id ({@link LockLease#id()})
 * @param fencingToken the holder's fencing token
 * @param remaining    the lock's remaining time to live in Redis
 */
public record LockHolder(String ownerId, long fencingToken, Duration remaining) {

    /** Checks the components. */
    public LockHolder {
        Objects.requireNonNull(ownerId, "ownerId");
        Objects.requireNonNull(remaining, "remaining");
    }
}
