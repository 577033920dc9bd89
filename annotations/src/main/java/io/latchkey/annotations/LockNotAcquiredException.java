package io.latchkey.annotations;

import java.time.Duration;

/** {@link DistributedLock}: another owner held the lock for the whole {@code maxWait}; the method was not invoked. */
public class LockNotAcquiredException extends CoordinationRejectedException {

    private final Duration maxWait;

    /** A rejection of {@code method} by the lock {@code lockName} after waiting {@code maxWait}. */
    public LockNotAcquiredException(String method, String lockName, Duration maxWait, Throwable cause) {
        super(method, lockName, "lock \"" + lockName + "\" not acquired within " + maxWait.toMillis() + " ms for "
                + method, cause);
        this.maxWait = maxWait;
    }

    /** How long the call waited. */
    public Duration maxWait() {
        return maxWait;
    }
}
