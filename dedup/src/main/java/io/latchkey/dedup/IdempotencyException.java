package io.latchkey.dedup;

import io.latchkey.core.LatchkeyException;

/**
 * Base of the outcomes of {@link IdempotentExecutor#execute} that are not a result: the key is being processed by
 * someone else, or it was used with a different payload. A {@link LatchkeyException} like everything Latchkey
 * throws, but not a Redis failure (those are {@link io.latchkey.core.LatchkeyUnavailableException},
 * {@link io.latchkey.core.LatchkeyTimeoutException} and {@link io.latchkey.core.LatchkeyScriptException}).
 */
public class IdempotencyException extends LatchkeyException {

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
