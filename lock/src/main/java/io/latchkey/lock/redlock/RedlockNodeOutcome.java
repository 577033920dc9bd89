package io.latchkey.lock.redlock;

import java.time.Duration;
import java.util.Objects;

/**
 * What one Redlock node answered to one request (acquire, fencing write-back, extend, release, inspection). Part of a
 * {@link RedlockRound}; for diagnostics and metrics.
 *
 * @param node         the node's index in the list given to {@link Redlock#of(java.util.List)}
 * @param status       the node's answer, or why there was none
 * @param fencingToken for {@link Status#ACQUIRED}: the token this node issued; for {@link Status#HELD}: the holder's
 *                     token when known; otherwise 0
 * @param ttl          for {@link Status#ACQUIRED}/{@link Status#EXTENDED}: the lease this node granted; for
 *                     {@link Status#HELD}: the holder's remaining time on this node; otherwise {@link Duration#ZERO}
 * @param latency      from sending the request to its answer (or to the per-node timeout)
 * @param failure      for {@link Status#isFailure() failures}: the error message; otherwise empty
 */
public record RedlockNodeOutcome(int node, Status status, long fencingToken, Duration ttl, Duration latency,
                                 String failure) {

    /** Checks the components. */
    public RedlockNodeOutcome {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(failure, "failure");
    }

    /** A node's answer. */
    public enum Status {
        /** Acquire: this node granted the lock to this owner (or recognised a replay of our own request). */
        ACQUIRED,
        /** Acquire or inspection: another owner holds the lock on this node. */
        HELD,
        /** Fencing write-back: the quorum token is recorded here, and this owner still held the lock when it was. */
        FENCED,
        /** Extend: this node extended our lock. */
        EXTENDED,
        /** Release: this node held our lock and removed it. */
        RELEASED,
        /** Release, extend, write-back or inspection: nothing is held on this node (it expired or was never set). */
        ALREADY_GONE,
        /** Release, extend or write-back: another owner holds the lock on this node; it was left alone. */
        TAKEN_OVER,
        /**
         * No answer within the per-node timeout, or the connection dropped after the request was written: the
         * request may have taken effect, or may still.
         */
        TIMED_OUT,
        /** The request was not executed: no connection to the node. */
        UNAVAILABLE,
        /** The node answered with an error. */
        ERROR,
        /** Nothing was sent to this node (e.g. no write-back where another owner holds the lock). */
        NOT_SENT;

        /** Whether the node did not give an answer ({@link #TIMED_OUT}, {@link #UNAVAILABLE}, {@link #ERROR}). */
        public boolean isFailure() {
            return this == TIMED_OUT || this == UNAVAILABLE || this == ERROR;
        }

        /** Whether the node answered with a decision (neither a failure nor {@link #NOT_SENT}). */
        public boolean isAnswer() {
            return !isFailure() && this != NOT_SENT;
        }
    }

    static RedlockNodeOutcome of(int node, Status status, long token, Duration ttl, long latencyNanos) {
        return new RedlockNodeOutcome(node, status, token, ttl, Duration.ofNanos(latencyNanos), "");
    }

    static RedlockNodeOutcome failed(int node, Status status, long latencyNanos, String failure) {
        return new RedlockNodeOutcome(node, status, 0, Duration.ZERO, Duration.ofNanos(latencyNanos),
                failure == null ? status.name() : failure);
    }

    static RedlockNodeOutcome notSent(int node) {
        return new RedlockNodeOutcome(node, Status.NOT_SENT, 0, Duration.ZERO, Duration.ZERO, "");
    }
}
