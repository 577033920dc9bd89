package io.latchkey.lock.redlock;

import io.latchkey.lock.DistributedLock;
import java.util.Optional;

/**
 * A {@link DistributedLock} held on a majority of independent Redis nodes (Redlock). Same API as a single-instance
 * lock; its leases are {@link RedlockLease}s.
 *
 * <p>Differences worth knowing: waiting retries with jittered exponential backoff (no pub/sub wake-up, see
 * {@code docs/redlock.md}); when fewer than a majority of nodes answer, acquiring, {@link #isLocked()},
 * {@link #holder()} and {@link #forceRelease()} throw {@link RedlockQuorumException}.
 */
public interface RedlockLock extends DistributedLock {

    /** The acquire round of this lock object's most recent failed attempt (any caller), for diagnostics. */
    Optional<RedlockRound> lastFailedAttempt();

    /** The number of nodes. */
    int nodeCount();

    /** The majority needed: {@code nodeCount() / 2 + 1}. */
    int quorum();
}
