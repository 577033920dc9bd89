/**
 * Redlock: one lease lock held on a majority of N independent Redis nodes, with the same
 * {@link io.latchkey.lock.DistributedLock} API as the single-instance lock.
 *
 * <pre>{@code
 * DistributedLock lock = Redlock.of(List.of(a, b, c)).lock("job:nightly");
 * try (LockLease lease = lock.tryAcquire(Duration.ofSeconds(30), Duration.ofSeconds(5)).orElseThrow()) {
 *     store.write(result, lease.fencingToken());
 * }
 * }</pre>
 *
 * <p>{@link io.latchkey.lock.redlock.RedlockLock} and {@link io.latchkey.lock.redlock.RedlockLease} add per-node
 * diagnostics ({@link io.latchkey.lock.redlock.RedlockRound}). See {@code docs/redlock.md} for the assumptions.
 */
package io.latchkey.lock.redlock;
