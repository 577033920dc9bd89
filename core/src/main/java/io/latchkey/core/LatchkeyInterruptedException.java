package io.latchkey.core;

/**
 * The calling thread was interrupted while waiting for Redis; its interrupt flag is set again. A command already
 * sent may still run (an acquire that lands late is released in the background).
 */
public class LatchkeyInterruptedException extends LatchkeyException {
    /** @param cause the interruption, may be null */
    public LatchkeyInterruptedException(String message, Throwable cause) {
        super(message, cause);
    }
}
