package io.latchkey.dedup;

import java.time.Duration;

/**
 * Another caller is executing the action for this key: thrown at once with
 * {@link IdempotencyOptions.OnInProgress#REJECT}, or after {@code maxWait} with {@link IdempotencyOptions.OnInProgress#WAIT}.
 * Retry later (an HTTP API would answer 409 Conflict).
 */
public class IdempotencyInProgressException extends IdempotencyException {

    private final Duration remainingLease;

    /** {@code key} is in progress; its owner's lease had {@code remainingLease} left (negative: unknown). */
    public IdempotencyInProgressException(String key, Duration remainingLease) {
        super(key, "idempotency key \"" + key + "\" is being processed by another caller (lease "
                + (remainingLease.isNegative() ? "unknown" : remainingLease.toMillis() + " ms") + " left)");
        this.remainingLease = remainingLease;
    }

    /** How long the current owner's lease had left when last seen (negative: unknown). */
    public Duration remainingLease() {
        return remainingLease;
    }
}
