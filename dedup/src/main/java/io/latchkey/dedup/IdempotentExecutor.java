package io.latchkey.dedup;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Runs an action at most once per idempotency key within the TTL and replays its result to later callers (the
 * Stripe / Powertools pattern, with every state change one atomic script):
 * <ol>
 *   <li>the first caller claims the key as IN_PROGRESS with its own owner token and a short lease, renewed while
 *       the action runs; a crashed owner's claim lapses after the lease, not after the TTL;</li>
 *   <li>on success the owner (and only the owner) stores COMPLETED with the encoded result for the TTL and wakes
 *       waiting duplicates; later callers get the stored result without running the action;</li>
 *   <li>on failure the claim is removed (configurable) and the exception propagates unchanged;</li>
 *   <li>a concurrent duplicate waits for the result or gets {@link IdempotencyInProgressException}, by option;</li>
 *   <li>with a payload, the same key with a different payload gets {@link IdempotencyMismatchException}.</li>
 * </ol>
 * Redis failures while claiming follow the failure policy (FAIL_CLOSED throws a
 * {@link io.latchkey.core.LatchkeyException}; FAIL_OPEN runs the action unprotected). If the result cannot be
 * stored (Redis down, or the lease was lost) the action's result is still returned, and the claim lapses after its
 * lease. Thread-safe.
 *
 * @param <T> the action's result type, stored with the executor's {@link ResultCodec}
 */
public interface IdempotentExecutor<T> {

    /** The executor's name (also its metrics tag). */
    String name();

    /** Runs {@code action} on the calling thread unless {@code key} was already executed; returns its result. */
    T execute(String key, Supplier<T> action);

    /**
     * As {@link #execute(String, Supplier)}, remembering the SHA-256 of {@code canonicalPayload} (UTF-8): a later
     * call with the same key and a different payload is rejected with {@link IdempotencyMismatchException}.
     * The caller supplies a canonical form (e.g. sorted fields), so equal requests give equal text.
     */
    T execute(String key, String canonicalPayload, Supplier<T> action);

    /** As {@link #execute(String, String, Supplier)} with a binary canonical payload. */
    T execute(String key, byte[] canonicalPayload, Supplier<T> action);

    /** Asynchronous {@link #execute(String, Supplier)}: {@code action} is started on the thread completing the claim. */
    CompletableFuture<T> executeAsync(String key, Supplier<CompletableFuture<T>> action);

    /** Asynchronous {@link #execute(String, String, Supplier)}. */
    CompletableFuture<T> executeAsync(String key, String canonicalPayload, Supplier<CompletableFuture<T>> action);

    /** Deletes whatever is stored for {@code key} (a result or a claim). True if something was removed. */
    boolean forget(String key);
}
