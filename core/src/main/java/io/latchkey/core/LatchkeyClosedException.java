package io.latchkey.core;

/** The {@link Latchkey} client was closed: nothing was sent, and this client will not send anything again. */
public class LatchkeyClosedException extends LatchkeyException {
    /** @param cause what noticed the close, may be null */
    public LatchkeyClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
