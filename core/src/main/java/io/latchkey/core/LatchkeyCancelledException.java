package io.latchkey.core;

/** The call or the wait was cancelled (its future was cancelled). A command already sent may still run. */
public class LatchkeyCancelledException extends LatchkeyException {
    /** @param cause the cancellation, may be null */
    public LatchkeyCancelledException(String message, Throwable cause) {
        super(message, cause);
    }
}
