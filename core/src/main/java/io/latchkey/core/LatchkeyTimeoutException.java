package io.latchkey.core;

/**
 * No reply arrived: the command timed out, or the connection dropped while it was in flight. The outcome is
 * unknown: the command may have run. Latchkey's scripts are idempotent per request id, so a retry with the same id
 * is safe.
 */
public class LatchkeyTimeoutException extends LatchkeyException {
    public LatchkeyTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
