package io.latchkey.core;

/**
 * A lease (a lock or a permit) is no longer held: it expired, was taken over, or reached its maximum hold time.
 * Reported to {@link LeaseLostListener}s and thrown where an operation needs the lease.
 */
public class LeaseLostException extends LatchkeyException {
    /** @param cause why the loss was noticed, may be null */
    public LeaseLostException(String message, Throwable cause) {
        super(message, cause);
    }
}
