package io.latchkey.lock;

import io.latchkey.core.LeaseRequest;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A named lease lock. Ownership belongs to the returned {@link LockLease} (a random 128-bit owner id), never to a
 * thread, so a lease can be released from any thread, async code or a virtual thread.
 *
 * <pre>{@code
 * DistributedLock lock = Locks.of(latchkey).lock("order:42");
 * try (LockLease lease = lock.tryAcquire(Duration.ofSeconds(30), Duration.ofSeconds(5)).orElseThrow()) {
 *     store.write(order, lease.fencingToken());
 * }
 * }</pre>
 *
 * <p>Locks fail closed: when Redis cannot be reached or does not answer in time, acquiring throws a
 * {@link io.latchkey.core.LatchkeyException} (never an empty result that could be mistaken for "held by someone").
 * Bad arguments throw {@link IllegalArgumentException}/{@link NullPointerException} before any Redis call.
 */
public interface DistributedLock {

    /** The lock's name, as given to {@link Locks#lock(String)}. */
    String name();

    /**
     * One attempt, no waiting.
     *
     * @param leaseTime how long the lock is held unless released or extended first; {@code > 0}
     * @return the lease, or empty if another owner holds the lock
     * @throws io.latchkey.core.LatchkeyException if Redis failed (after a timeout a best-effort release is sent,
     *                                            since the acquire may have landed)
     */
    Optional<LockLease> tryAcquire(Duration leaseTime);

    /**
     * Waits up to {@code maxWait} for the lock. The single-instance lock queues waiters first come, first served
     * and hands the lock to the next one on release; every lock re-checks on a bounded, jittered timer in case a
     * message is lost.
     *
     * @param leaseTime {@code > 0}
     * @param maxWait   {@code >= 0}; {@link Duration#ZERO} means a single attempt
     * @return the lease, or empty if {@code maxWait} passed
     * @throws InterruptedException if the thread was interrupted; the wait is abandoned and a lease acquired
     *                              meanwhile is released
     */
    default Optional<LockLease> tryAcquire(Duration leaseTime, Duration maxWait) throws InterruptedException {
        return tryAcquire(LeaseRequest.of(leaseTime, maxWait));
    }

    /**
     * Async form of {@link #tryAcquire(Duration, Duration)}; never blocks the calling thread. Cancelling the future
     * abandons the wait (a lease acquired meanwhile is released). Fails with a
     * {@link io.latchkey.core.LatchkeyException} on Redis failures.
     */
    default CompletableFuture<Optional<LockLease>> tryAcquireAsync(Duration leaseTime, Duration maxWait) {
        return tryAcquireAsync(LeaseRequest.of(leaseTime, maxWait));
    }

    /**
     * Acquires with per-acquire options: the lease, the wait, and the opt-in watchdog. Waits like
     * {@link #tryAcquire(Duration, Duration)}.
     *
     * @throws InterruptedException if the thread was interrupted; the wait is abandoned and a lease acquired
     *                              meanwhile is released
     * @see LeaseRequest#builder(Duration)
     */
    Optional<LockLease> tryAcquire(LeaseRequest request) throws InterruptedException;

    /** Async form of {@link #tryAcquire(LeaseRequest)}; every other async form goes through it. */
    CompletableFuture<Optional<LockLease>> tryAcquireAsync(LeaseRequest request);

    /** Whether any owner holds the lock now (one Redis call; the answer may be stale when it arrives). */
    boolean isLocked();

    /**
     * Who holds the lock now: owner id, fencing token and remaining TTL as seen by Redis.
     *
     * @return empty if the lock is free
     */
    Optional<LockHolder> holder();

    /**
     * Administrative release: frees the lock whoever holds it and lets the next waiter have it. The former holder's
     * lease can no longer extend or release (its fencing token is now stale for any resource that checks tokens).
     * Use only when a holder is known to be dead.
     *
     * @return true if the lock was held
     */
    boolean forceRelease();
}
