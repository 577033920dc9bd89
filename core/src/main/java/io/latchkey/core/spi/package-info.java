/**
 * The shared mechanism every Latchkey module builds on: script execution with NOSCRIPT fallback
 * ({@link io.latchkey.core.spi.RedisExecutor}, {@link io.latchkey.core.spi.LuaScript}), key building
 * ({@link io.latchkey.core.spi.Keys}), argument checks, owner ids, pub/sub wake-ups, the event-driven wait loop and
 * the hand-over of its result to the caller with its outcome timers ({@link io.latchkey.core.spi.Acquisitions}),
 * the meters both lock packages share ({@link io.latchkey.core.spi.LockMetrics}),
 * the local lease deadline ({@link io.latchkey.core.spi.LeaseClock}), a lease's local life — release once, loss once,
 * extend, watchdog ({@link io.latchkey.core.spi.LeaseState}) — the lease watchdog and the one retry backoff
 * ({@link io.latchkey.core.spi.Backoff}). Modules reach a client's parts with
 * {@link io.latchkey.core.spi.Internals#of}. Not API: no public signature outside this package mentions it, and the
 * {@code io.latchkey.core} module exports it only to Latchkey's own modules.
 */
package io.latchkey.core.spi;
