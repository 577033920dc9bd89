package io.latchkey.dedup;

/**
 * The key was first used with a different payload fingerprint: the same idempotency key was reused for a different
 * request. The stored result is not replayed (an HTTP API would answer 422).
 */
public class IdempotencyMismatchException extends IdempotencyException {

    /** {@code key} was used with another payload fingerprint. */
    public IdempotencyMismatchException(String key) {
        super(key, "idempotency key \"" + key + "\" was already used with a different payload");
    }
}
