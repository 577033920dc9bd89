package io.latchkey.core;

/** Redis could not be reached: the command was not executed. Safe to retry. */
public class LatchkeyUnavailableException extends LatchkeyException {
    public LatchkeyUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
