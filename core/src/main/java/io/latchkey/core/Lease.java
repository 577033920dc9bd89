package io.latchkey.core;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Something Redis granted for a limited time and that this object owns (not a thread): a held lock
 * ({@code io.latchkey.lock.LockLease}, also a Redlock lease) or a semaphore permit ({@code io.latchkey.semaphore.Permit}).
 * It can be extended and released from any thread, async code or a virtual thread. Release it in a
 * {@code try}-with-resources block:
 *
 * <pre>{@code
 * try (Lease lease = lockOrSemaphore.tryAcquire(Duration.ofSeconds(30), Duration.ofSeconds(5)).orElseThrow()) {
 *     work();
 * }
 * }</pre>
 *
 * <p>{@link #remaining()} and {@link #isValid()} are measured with {@link System#nanoTime()} from before the
 * acquiring request was sent, minus a clock-drift margin, so a lease never claims more time than Redis granted.
 * Validity is local knowledge only: a process pause can outlast it.
 *
 * <p>Fencing: only a lock lease carries a fencing token ({@code LockLease.fencingToken()}), strictly increasing per
 * lock name. A permit has none: up to N permits are live at once, so no single increasing token could tell a
 * resource which writer is the rightful one.
 */
public interface Lease extends AutoCloseable {

    /** The name of the lock or semaphore this lease belongs to. */
    String name();

    /** The random 128-bit owner id stored in Redis for this lease. */
    String id();

    /** How much of the lease is left by the local clock, never negative; {@link Duration#ZERO} once released or lost. */
    Duration remaining();

    /** Whether the lease is inside its local deadline and was neither released nor found lost. */
    boolean isValid();

    /**
     * Sets the remaining lease to {@code leaseTime} from now, if this lease still holds it (owner-checked; an expired
     * lease is never revived).
     *
     * @return false if the lease was released, expired or taken over
     * @throws IllegalArgumentException if {@code leaseTime} is not positive
     * @throws LatchkeyException        if Redis failed (the outcome may be unknown)
     */
    boolean extend(Duration leaseTime);

    /** Async form of {@link #extend(Duration)}. */
    CompletableFuture<Boolean> extendAsync(Duration leaseTime);

    /**
     * Gives the lease back and wakes a waiter. Idempotent: later calls return the first call's result without another
     * round trip. Stops the watchdog (waiting for a renewal in flight) before the release is sent, so no renewal
     * follows it.
     *
     * @return {@link ReleaseResult#RELEASED}, or why there was nothing to release
     * @throws LatchkeyException if Redis failed; the lease then ends with its expiry
     */
    ReleaseResult release();

    /** Async form of {@link #release()}; completes when Redis answered. */
    CompletableFuture<ReleaseResult> releaseAsync();

    /**
     * {@link #release()} that never throws. If Redis could not be reached, the release keeps being sent in the
     * background until it lands or the lease has expired anyway.
     */
    @Override
    void close();

    /**
     * Whether the grant reached the replicas its options asked for ({@code LockOptions.replicas},
     * {@code SemaphoreOptions.replicas}) before this lease was handed out; {@link Replication#notRequested()} when
     * the options asked for none (and for Redlock, whose safety comes from its majority of independent nodes).
     */
    default Replication replication() {
        return Replication.notRequested();
    }
}
