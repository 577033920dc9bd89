/**
 * Counting semaphores with expiring permits on Redis.
 *
 * <pre>{@code
 * DistributedSemaphore uploads = Semaphores.of(latchkey).semaphore("uploads", 10);
 * try (Permit p = uploads.tryAcquire(Duration.ofSeconds(30), Duration.ofSeconds(5)).orElseThrow()) {
 *     upload();
 * }
 * }</pre>
 *
 * <p>Permits are members of a sorted set scored by their expiry in Redis time; the limit is stored beside them, so
 * every client agrees on it and {@link io.latchkey.semaphore.DistributedSemaphore#resize(int)} changes it for all.
 * See {@code docs/semaphores.md} for the guarantees and failure semantics.
 */
package io.latchkey.semaphore;
