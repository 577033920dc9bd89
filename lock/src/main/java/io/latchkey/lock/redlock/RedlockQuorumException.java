package io.latchkey.lock.redlock;

import io.latchkey.core.LatchkeyTimeoutException;
import java.util.Objects;

/**
 * Fewer than a majority of Redlock nodes answered, so the lock's state is unknown (fail closed: this is never
 * reported as "held by someone else"). Anything a request may have set on a node is released on a best-effort basis,
 * and otherwise expires with its lease. An unknown outcome ({@link LatchkeyTimeoutException}), not "not executed":
 * nodes that timed out may have run the request. Nodes answering with errors get a {@link RedlockErrorException}.
 */
public class RedlockQuorumException extends LatchkeyTimeoutException {

    private final transient RedlockRound round;

    /** @param round the round in which too few nodes answered */
    public RedlockQuorumException(String message, RedlockRound round) {
        super(message, null);
        this.round = Objects.requireNonNull(round, "round");
    }

    /** Each node's outcome in the failed round. */
    public RedlockRound round() {
        return round;
    }
}
