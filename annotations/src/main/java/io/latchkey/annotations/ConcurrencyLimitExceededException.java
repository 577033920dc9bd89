package io.latchkey.annotations;

import java.time.Duration;

/** {@link ConcurrencyLimited}: no permit became free within {@code maxWait}; the method was not invoked. */
public class ConcurrencyLimitExceededException extends CoordinationRejectedException {

    private final int permits;
    private final Duration maxWait;

    /** A rejection of {@code method}: no permit of {@code semaphore} within {@code maxWait}. */
    public ConcurrencyLimitExceededException(String method, String semaphore, int permits, Duration maxWait,
                                             Throwable cause) {
        super(method, semaphore, "no permit of semaphore \"" + semaphore + "\" (" + permits + " permits) within "
                + maxWait.toMillis() + " ms for " + method, cause);
        this.permits = permits;
        this.maxWait = maxWait;
    }

    /** The semaphore's configured permits. */
    public int permits() {
        return permits;
    }

    /** How long the call waited. */
    public Duration maxWait() {
        return maxWait;
    }
}
