package io.latchkey.lock.redlock;

import io.latchkey.core.ReleaseResult;
import io.latchkey.lock.redlock.RedlockNodeOutcome.Status;
import java.util.Arrays;
import java.util.List;

/** The pure decisions of Redlock, apart from any I/O so that they can be tested exhaustively. */
final class RedlockQuorum {

    private RedlockQuorum() {
    }

    /** The majority of {@code nodes}: {@code N/2 + 1}. */
    static int quorum(int nodes) {
        return nodes / 2 + 1;
    }

    /**
     * The lease time that at least {@code quorum} nodes granted: the {@code quorum}-th largest grant among
     * {@link Status#ACQUIRED} nodes (a replayed grant reports only its remaining time), or -1 if fewer granted.
     */
    static long quorumGrantNanos(List<RedlockNodeOutcome> outcomes, int quorum) {
        long[] grants = outcomes.stream().filter(o -> o.status() == Status.ACQUIRED)
                .mapToLong(o -> o.ttl().toNanos()).sorted().toArray();
        if (grants.length < quorum) {
            return -1;
        }
        return grants[grants.length - quorum];
    }

    /**
     * Validity left of an acquisition: the time a majority granted, minus the time elapsed since before the first
     * request was sent, minus the drift margin. Not positive (or {@link Long#MIN_VALUE} without a majority) means
     * the acquisition failed.
     */
    static long validityNanos(List<RedlockNodeOutcome> outcomes, int quorum, long elapsedNanos, long driftNanos) {
        long granted = quorumGrantNanos(outcomes, quorum);
        if (granted < 0) {
            return Long.MIN_VALUE;
        }
        return granted - elapsedNanos - driftNanos;
    }

    /** The lease's token: the largest token issued by a node that granted the lock (0 if none). */
    static long quorumToken(List<RedlockNodeOutcome> outcomes) {
        long max = 0;
        for (RedlockNodeOutcome o : outcomes) {
            if (o.status() == Status.ACQUIRED) {
                max = Math.max(max, o.fencingToken());
            }
        }
        return max;
    }

    /** How many outcomes have {@code status}. */
    static int count(List<RedlockNodeOutcome> outcomes, Status status) {
        int n = 0;
        for (RedlockNodeOutcome o : outcomes) {
            if (o.status() == status) {
                n++;
            }
        }
        return n;
    }

    /** How many nodes answered (neither a failure nor not sent). */
    static int answered(List<RedlockNodeOutcome> outcomes) {
        int n = 0;
        for (RedlockNodeOutcome o : outcomes) {
            if (o.status().isAnswer()) {
                n++;
            }
        }
        return n;
    }

    /**
     * When a majority of nodes could next be free, from a failed acquire round: nodes we hold (released right
     * after) count as free now, nodes held by another owner at their holder's remaining time, failed nodes never.
     * 0 means unknown (fewer than a majority can ever be free by what we saw).
     */
    static long retryHintMillis(List<RedlockNodeOutcome> outcomes, int quorum) {
        long[] free = new long[outcomes.size()];
        int i = 0;
        for (RedlockNodeOutcome o : outcomes) {
            free[i++] = switch (o.status()) {
                case HELD -> Math.max(0, o.ttl().toMillis());
                case ACQUIRED, ALREADY_GONE, RELEASED -> 0;
                default -> Long.MAX_VALUE;
            };
        }
        Arrays.sort(free);
        long hint = free.length >= quorum ? free[quorum - 1] : Long.MAX_VALUE;
        return hint == Long.MAX_VALUE ? 0 : hint;
    }

    /**
     * The overall result of a release round: {@link ReleaseResult#RELEASED} if any node still held our lock (it is
     * gone there now), else {@link ReleaseResult#TAKEN_OVER} if any node held another owner's lock, else
     * {@link ReleaseResult#ALREADY_GONE}. Failed nodes do not count (their copy expires with the lease).
     */
    static ReleaseResult releaseResult(List<RedlockNodeOutcome> outcomes) {
        if (count(outcomes, Status.RELEASED) > 0) {
            return ReleaseResult.RELEASED;
        }
        if (count(outcomes, Status.TAKEN_OVER) > 0) {
            return ReleaseResult.TAKEN_OVER;
        }
        return ReleaseResult.ALREADY_GONE;
    }

    /**
     * Whether a lease whose extension failed is certainly lost: so many nodes answered that our lock is gone or
     * someone else's that a majority can no longer be ours.
     */
    static boolean certainlyLost(List<RedlockNodeOutcome> outcomes, int quorum) {
        int gone = count(outcomes, Status.ALREADY_GONE) + count(outcomes, Status.TAKEN_OVER);
        return gone > outcomes.size() - quorum;
    }

    /**
     * The failure of a round without a majority: a {@link RedlockErrorException} when nodes answering with errors
     * alone make a majority impossible (a permanent problem, e.g. NOPERM everywhere), else a
     * {@link RedlockQuorumException}; either way the message ends with each failed node's reason.
     */
    static io.latchkey.core.LatchkeyException noMajority(String message, RedlockRound round) {
        StringBuilder m = new StringBuilder(message);
        String sep = " (";
        for (RedlockNodeOutcome o : round.nodes()) {
            if (o.status().isFailure()) {
                m.append(sep).append("node ").append(o.node()).append(' ').append(o.status()).append(": ")
                        .append(o.failure());
                sep = "; ";
            }
        }
        if (!sep.equals(" (")) {
            m.append(')');
        }
        int errors = round.count(RedlockNodeOutcome.Status.ERROR);
        return errors > round.nodes().size() - round.quorum()
                ? new RedlockErrorException(m.toString(), round)
                : new RedlockQuorumException(m.toString(), round);
    }
}
