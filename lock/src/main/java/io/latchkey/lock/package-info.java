/**
 * Distributed lease locks on Redis with fencing tokens: single-instance locks ({@link io.latchkey.lock.Locks}) and
 * Redlock over several independent nodes ({@link io.latchkey.lock.redlock}), behind one
 * {@link io.latchkey.lock.DistributedLock} API. A {@link io.latchkey.lock.LockLease} is a core
 * {@link io.latchkey.core.Lease} with a fencing token, acquired with a core {@link io.latchkey.core.LeaseRequest}.
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
