/**
 * Distributed lease locks on Redis with fencing tokens: single-instance locks ({@link io.latchkey.lock.Locks}) and
 * Redlock over several independent nodes, behind one {@link io.latchkey.lock.DistributedLock} API.
 *
 * <pre>{@code
 * DistributedLock lock = Locks.of(latchkey).lock("order:42");
 * try (LockLease lease = lock.tryAcquire(Duration.ofSeconds(30), Duration.ofSeconds(5)).orElseThrow()) {
 *     store.write(order, lease.fencingToken());
 * }
 * }</pre>
 *
 * <p>See {@code docs/locks.md} for the guarantees, fencing, waiting, the watchdog and metrics.
 */
package io.latchkey.lock;
