package io.latchkey.core;

/**
 * The command was not executed, and Latchkey knows it: it was rejected before being written to the connection
 * (disconnected, request queue full) or Redis refused it before running it (still loading its data, busy with a
 * script, a read-only replica). Safe to retry.
 */
public class LatchkeyUnavailableException extends LatchkeyException {
    /** @param cause the client's or Redis's reason, may be null */
    public LatchkeyUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
