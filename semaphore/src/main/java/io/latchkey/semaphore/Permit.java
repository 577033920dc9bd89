package io.latchkey.semaphore;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One permit of a {@link DistributedSemaphore}, owned by this object (not by a thread): it can be released from any
 * thread, async code or a virtual thread. Release it in a {@code try}-with-resources block:
 *
 * <pre>{@code
 * try (Permit p = semaphore.tryAcquire(lease, maxWait).orElseThrow()) { ... }
 * }</pre>
 *
 * <p>The permit's local validity is measured with {@link System#nanoTime()} from before the acquiring request was
 * sent, minus a drift margin, so {@link #isValid()} never claims more than Redis grants.
 */
public interface Permit extends AutoCloseable {

    /** The random 128-bit id of this permit, as stored in Redis. */
    String id();

    /** The name of the semaphore this permit belongs to. */
    String semaphoreName();

    /** How much of the lease is left by the local clock (never negative); {@link Duration#ZERO} once released. */
    Duration remaining();

    /** Whether the permit is still held by the local clock, and was neither released nor reported lost. */
    boolean isValid();

    /**
     * Sets the permit's remaining lease to {@code leaseTime} from now (Redis time), if it is still held.
     *
     * @return false if the permit was released or had already expired (it cannot be revived)
     * @throws IllegalArgumentException if {@code leaseTime} is not positive
     * @throws io.latchkey.core.LatchkeyException if Redis failed (the outcome may be unknown)
     */
    boolean extend(Duration leaseTime);

    /** Async form of {@link #extend(Duration)}. */
    CompletableFuture<Boolean> extendAsync(Duration leaseTime);

    /**
     * Returns the permit. Idempotent: releasing a released or expired permit is not an error. Stops the watchdog
     * (and waits for a renewal in flight) before the release is sent.
     *
     * @throws io.latchkey.core.LatchkeyException if Redis failed; the permit then expires at the end of its lease
     */
    void release();

    /** Async form of {@link #release()}; completes when Redis confirmed. */
    CompletableFuture<Void> releaseAsync();

    /**
     * Whether the grant reached the replicas {@link SemaphoreOptions#replicas()} asked for before this permit was
     * handed out; {@link io.latchkey.core.Replication#notRequested()} when the options asked for none.
     */
    default io.latchkey.core.Replication replication() {
        return io.latchkey.core.Replication.notRequested();
    }

    /** {@link #release()} that never throws: a failure leaves the permit to expire at the end of its lease. */
    @Override
    void close();
}
