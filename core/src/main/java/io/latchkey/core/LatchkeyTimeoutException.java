package io.latchkey.core;

/**
 * No reply arrived in time. The outcome is unknown: the command may have run (and may still run, if it is
 * re-sent after a reconnect). Latchkey's scripts are idempotent per request id, so a retry with the same id is safe.
 */
public class LatchkeyTimeoutException extends LatchkeyException {
    public LatchkeyTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
