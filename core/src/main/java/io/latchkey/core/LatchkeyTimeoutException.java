package io.latchkey.core;

/**
 * The outcome is unknown: no reply arrived in time, or the connection failed (reset, closed, a write error) after
 * the command may have been written. The command may have run. Latchkey's scripts are idempotent per request id,
 * so a retry with the same id is safe.
 */
public class LatchkeyTimeoutException extends LatchkeyException {
    /** @param cause the client's reason, may be null */
    public LatchkeyTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
