package io.latchkey.lock;

import java.time.Duration;
import java.util.Optional;

/**
 * A Redis-side resource guarded by fencing tokens: a write carries the writer's {@link LockLease#fencingToken()}
 * and lands only if no write with a larger token landed before (one atomic script per write). A holder that paused
 * past its lease and woke up after another owner wrote is thus rejected, whatever its local clock believes.
 *
 * <p>A write with the SAME token as the stored one is accepted (the same lease writing again); use
 * {@link #writeOnce} to require a strictly greater token.
 */
public interface FencedResource {

    /** The resource's name (the hash tag of its keys). */
    String name();

    /**
     * Stores {@code value} under {@code key} if {@code fencingToken >= } the token stored with it.
     *
     * @param ttl how long the value (and its token) lives; renewed by each accepted write
     * @return whether the write was accepted
     * @throws IllegalArgumentException if {@code fencingToken < 0}, {@code ttl} is not positive or {@code key}
     *                                  is empty or too long
     * @throws io.latchkey.core.LatchkeyException if Redis failed
     */
    boolean write(String key, String value, long fencingToken, Duration ttl);

    /** As {@link #write} but only if {@code fencingToken >} the stored token (each lease writes at most once). */
    boolean writeOnce(String key, String value, long fencingToken, Duration ttl);

    /** The stored value and the token that wrote it; empty if none (or it expired). */
    Optional<FencedValue> read(String key);

    /**
     * A value and the fencing token of its writer.
     *
     * @param value        the stored value
     * @param fencingToken the token of the lease that wrote it
     */
    record FencedValue(String value, long fencingToken) {
    }
}
