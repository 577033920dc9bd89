package io.latchkey.lock;

import io.latchkey.core.Replication;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A held lock. Release it in a {@code try}-with-resources block.
 *
 * <p>{@link #remaining()} and {@link #isValid()} are measured with {@link System#nanoTime()} from before the
 * acquiring request was sent, minus a clock-drift margin (see {@link LockOptions#driftFactor()}), so the lease never
 * claims more time than Redis granted. Validity is local knowledge only: a process pause can outlast it, which is
 * why resources should check {@link #fencingToken()}.
 */
public interface LockLease extends AutoCloseable {

    /** The name of the lock this lease holds. */
    String lockName();

    /** The random 128-bit owner id stored in Redis for this lease. */
    String ownerId();

    /**
     * The fencing token: strictly greater than the token of every earlier lease of the same lock name. Pass it to
     * the protected resource, which rejects writes carrying an older token (see {@link FencedResource}).
     */
    long fencingToken();

    /** How much of the lease is left by the local clock, never negative; {@link Duration#ZERO} once released or lost. */
    Duration remaining();

    /** Whether the lease is inside its local deadline and was neither released nor found lost. */
    boolean isValid();

    /**
     * Sets the lock's remaining lease to {@code leaseTime} (owner-checked; never re-creates an expired lock).
     *
     * @return false if the lease was released, expired or taken over
     * @throws IllegalArgumentException if {@code leaseTime} is not positive
     * @throws io.latchkey.core.LatchkeyException if Redis failed (the outcome may be unknown)
     */
    boolean extend(Duration leaseTime);

    /** Async form of {@link #extend(Duration)}. */
    CompletableFuture<Boolean> extendAsync(Duration leaseTime);

    /**
     * Releases the lock if this lease still owns it and lets the next waiter have it (the single-instance lock hands
     * it to the first waiter in the same script; Redlock wakes its waiters). Idempotent: later calls return the first
     * call's result without another round trip. Stops the watchdog (waiting for a renewal in flight) before the
     * release is sent, so no renewal follows it.
     *
     * @return {@link ReleaseResult#RELEASED}, or why there was nothing to release
     * @throws io.latchkey.core.LatchkeyException if Redis failed; the lock then expires at the end of its lease
     */
    ReleaseResult release();

    /** Async form of {@link #release()}. */
    CompletableFuture<ReleaseResult> releaseAsync();

    /**
     * Whether the grant reached the replicas {@link LockOptions#replicas()} asked for before this lease was handed
     * out; {@link Replication#notRequested()} when the options asked for none (and for Redlock).
     */
    default Replication replication() {
        return Replication.notRequested();
    }

    /** {@link #release()} that never throws: on failure the lock expires at the end of its lease. */
    @Override
    void close();
}
