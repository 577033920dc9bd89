package io.latchkey.lock.redlock;

import io.latchkey.core.LatchkeyScriptException;
import java.util.Objects;

/**
 * No majority of Redlock nodes could answer because too many answered with an error (for example {@code NOPERM} on
 * every node when the ACL lacks a command): a permanent problem, not an outage, so it is no
 * {@link RedlockQuorumException}. The message names each node's error; {@link #round()} has every node's outcome.
 */
public class RedlockErrorException extends LatchkeyScriptException {

    private final transient RedlockRound round;

    /** @param round the round in which nodes answered with errors */
    public RedlockErrorException(String message, RedlockRound round) {
        super(message, null);
        this.round = Objects.requireNonNull(round, "round");
    }

    /** Each node's outcome in the failed round. */
    public RedlockRound round() {
        return round;
    }
}
