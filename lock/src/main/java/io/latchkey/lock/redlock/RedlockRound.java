package io.latchkey.lock.redlock;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One round of parallel requests to every Redlock node, with each node's outcome: the diagnostics of an acquire
 * attempt, a fencing write-back, an extension or a release.
 *
 * @param operation     what was asked
 * @param nodes         one outcome per node, in node order
 * @param quorum        the majority the round needed ({@code N/2 + 1})
 * @param quorumReached whether the round succeeded: for {@link Operation#ACQUIRE} a majority granted the lock with
 *                      time left; for a release at least a majority answered
 * @param elapsed       from before the first request to the last answer (or per-node timeout)
 */
public record RedlockRound(Operation operation, List<RedlockNodeOutcome> nodes, int quorum, boolean quorumReached,
                           Duration elapsed) {

    /** Checks the components and copies the list. */
    public RedlockRound {
        Objects.requireNonNull(operation, "operation");
        nodes = List.copyOf(nodes);
        Objects.requireNonNull(elapsed, "elapsed");
    }

    /** What a round asked of the nodes. */
    public enum Operation {
        /** Phase one of an acquisition. */
        ACQUIRE,
        /** Phase two of an acquisition: the conditional fencing write-back. */
        FENCE,
        /** {@link io.latchkey.lock.LockLease#extend(Duration)}. */
        EXTEND,
        /** {@link io.latchkey.lock.LockLease#release()}. */
        RELEASE,
        /** {@link io.latchkey.lock.DistributedLock#holder()} / {@link io.latchkey.lock.DistributedLock#isLocked()}. */
        INSPECT,
        /** {@link io.latchkey.lock.DistributedLock#forceRelease()}. */
        FORCE_RELEASE
    }

    /** How many nodes answered with {@code status}. */
    public int count(RedlockNodeOutcome.Status status) {
        int n = 0;
        for (RedlockNodeOutcome o : nodes) {
            if (o.status() == status) {
                n++;
            }
        }
        return n;
    }

    /** How many nodes gave an answer (neither a failure nor not sent). */
    public int answered() {
        int n = 0;
        for (RedlockNodeOutcome o : nodes) {
            if (o.status().isAnswer()) {
                n++;
            }
        }
        return n;
    }
}
