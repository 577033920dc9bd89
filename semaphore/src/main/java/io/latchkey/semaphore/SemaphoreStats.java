package io.latchkey.semaphore;

import java.time.Instant;
import java.util.Objects;

/**
 * A consistent snapshot of a semaphore, read in one atomic call.
 *
 * @param limit      the stored limit (the configured permits until {@link DistributedSemaphore#resize} is called)
 * @param holders    live permits now; can exceed {@code limit} for a while after a shrink
 * @param peak       the most simultaneous holders since {@code peakSince}, maintained by the acquire script
 * @param peakSince  when the peak period started (Redis time): the semaphore's creation or the last
 *                   {@link DistributedSemaphore#resetPeak()}; {@link Instant#EPOCH} if the semaphore holds no state
 */
public record SemaphoreStats(int limit, int holders, int peak, Instant peakSince) {

    /** Checks the components. */
    public SemaphoreStats {
        Objects.requireNonNull(peakSince, "peakSince");
    }

    /** {@code max(0, limit - holders)}. */
    public int available() {
        return Math.max(0, limit - holders);
    }
}
