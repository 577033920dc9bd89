package io.latchkey.semaphore;

import io.latchkey.core.LeaseRequest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A counting semaphore shared through Redis whose permits expire: at most {@code limit} live permits exist at any
 * time, and the permit of a crashed holder returns by itself when its lease ends. Each acquire, release and extend
 * is one atomic script; waiters are woken by a release message, with a bounded, jittered re-check at the nearest
 * expiry so a lost message never hangs them.
 *
 * <p>The limit is stored in Redis beside the permits: the configured permits only initialise it, and
 * {@link #resize(int)} changes it for every client at once.
 *
 * <p>On any Redis failure the methods throw {@link io.latchkey.core.LatchkeyException} (semaphores fail closed).
 * Thread-safe.
 */
public interface DistributedSemaphore {

    /** The semaphore's name. */
    String name();

    /** The permits this object was created with (the initial limit; see {@link #stats()} for the stored one). */
    int configuredPermits();

    /**
     * One attempt, no waiting.
     *
     * @param leaseTime how long the permit lasts unless extended or released; {@code > 0}
     * @return the permit, or empty if none was free
     */
    Optional<Permit> tryAcquire(Duration leaseTime);

    /**
     * Waits up to {@code maxWait} for a permit; {@link Duration#ZERO} means a single attempt.
     *
     * @param leaseTime {@code > 0}
     * @param maxWait   {@code >= 0}
     * @return the permit, or empty if none became free in time
     * @throws InterruptedException if interrupted while waiting (nothing stays acquired)
     */
    default Optional<Permit> tryAcquire(Duration leaseTime, Duration maxWait) throws InterruptedException {
        return tryAcquire(LeaseRequest.of(leaseTime, maxWait));
    }

    /**
     * Async form of {@link #tryAcquire(Duration, Duration)}; blocks no thread. Cancelling the future stops the wait,
     * and a permit granted meanwhile is released.
     */
    default CompletableFuture<Optional<Permit>> tryAcquireAsync(Duration leaseTime, Duration maxWait) {
        return tryAcquireAsync(LeaseRequest.of(leaseTime, maxWait));
    }

    /**
     * As {@link #tryAcquire(Duration, Duration)} with all options, among them the opt-in watchdog.
     *
     * @see LeaseRequest#builder(Duration)
     */
    Optional<Permit> tryAcquire(LeaseRequest request) throws InterruptedException;

    /** Async form of {@link #tryAcquire(LeaseRequest)}; every other async form goes through it. */
    CompletableFuture<Optional<Permit>> tryAcquireAsync(LeaseRequest request);

    /** Free permits now: {@code max(0, limit - live holders)}. */
    int availablePermits();

    /** The live permits with their remaining lease (Redis time), soonest expiry first. */
    List<PermitHolder> holders();

    /** Limit, live holders and peak concurrency, read atomically. */
    SemaphoreStats stats();

    /**
     * Sets the stored limit atomically, for every client. Holders beyond a smaller limit keep their permits until
     * they release or expire, and new acquires wait until the count is below the new limit; a larger limit wakes
     * waiters at once.
     *
     * @param newLimit {@code > 0}
     * @return the previous limit
     */
    int resize(int newLimit);

    /**
     * Starts a new peak-concurrency period: the peak becomes the number of live holders now.
     *
     * @return the new peak
     */
    int resetPeak();
}
