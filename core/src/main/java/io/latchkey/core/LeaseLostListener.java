package io.latchkey.core;

/**
 * Told when a lease renewed by the watchdog (a lock lease or a semaphore permit) is lost: the key was taken over
 * or expired, Redis stayed unreachable past the lease's local deadline, or the maximum hold time was reached.
 * Called at most once per lease, on a Latchkey scheduler thread: do not block in it.
 */
@FunctionalInterface
public interface LeaseLostListener {

    /**
     * @param name  the lock or semaphore name
     * @param cause why the lease was lost (a {@link LatchkeyException} for Redis failures), never null
     */
    void leaseLost(String name, Throwable cause);
}
