package io.latchkey.lock.redlock;

import io.latchkey.lock.LockLease;
import java.time.Duration;
import java.util.Optional;

/**
 * A lease held through Redlock on a majority of independent nodes. Every lease returned by a {@link RedlockLock} is
 * one; cast {@link LockLease} to read the per-node diagnostics.
 *
 * <p>{@link #fencingToken()} is the maximum of the tokens the acquiring majority issued, written back
 * (conditionally, while still the owner) to a majority before the lease was returned; see {@code docs/redlock.md}
 * for exactly when it is monotonic.
 */
public interface RedlockLease extends LockLease {

    /** The time left on the local clock when the lease was returned: lease − elapsed − drift margin. */
    Duration validityAtAcquisition();

    /** Each node's answer to the acquire request that granted this lease. */
    RedlockRound acquisition();

    /** Each node's answer to the fencing write-back. */
    RedlockRound fencing();

    /** The most recent extension round, if any. */
    Optional<RedlockRound> lastExtension();

    /** The release round, once released. */
    Optional<RedlockRound> releaseRound();
}
