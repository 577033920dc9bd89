package io.latchkey.dedup;

/**
 * Base of the outcomes of {@link IdempotentExecutor#execute} that are not a result: the key is being processed by
 * someone else, or it was used with a different payload. Not a Redis failure (those are
 * {@link io.latchkey.core.LatchkeyException}s).
 */
public class IdempotencyException extends RuntimeException {

    private final String key;

    /** An outcome for {@code key}, described by {@code message}. */
    public IdempotencyException(String key, String message) {
        super(message);
        this.key = key;
    }

    /** The idempotency key. */
    public String key() {
        return key;
    }
}
