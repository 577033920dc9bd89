/**
 * Deduplication and idempotent execution on Redis: {@link io.latchkey.dedup.Deduplicator} (windowed or exact,
 * replay-safe, batched) and {@link io.latchkey.dedup.IdempotentExecutor} (claim, heartbeat, store, replay), both
 * created by {@link io.latchkey.dedup.Deduplicators}. See docs/dedup.md.
 */
package io.latchkey.dedup;
