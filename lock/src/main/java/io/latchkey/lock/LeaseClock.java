package io.latchkey.lock;

import java.time.Duration;

/**
 * A lease's local deadline: {@code send time + lease - drift margin}, with the send time taken by
 * {@link System#nanoTime()} BEFORE the acquiring (or extending) request went out, so the lease never claims time
 * Redis did not grant. Shared by single-instance leases and Redlock leases.
 */
final class LeaseClock {

    private final LockOptions options;
    private volatile long deadlineNanos;

    /**
     * @param sentNanos  {@link System#nanoTime()} read before the request was sent
     * @param leaseNanos the lease Redis was asked for (or the smaller remainder it reported)
     */
    LeaseClock(long sentNanos, long leaseNanos, LockOptions options) {
        this.options = options;
        this.deadlineNanos = deadline(sentNanos, leaseNanos, options);
    }

    static long deadline(long sentNanos, long leaseNanos, LockOptions options) {
        return sentNanos + leaseNanos - options.driftNanos(leaseNanos);
    }

    /** After a successful extend/renew that was sent at {@code sentNanos} for {@code leaseNanos}. */
    void renewed(long sentNanos, long leaseNanos) {
        deadlineNanos = deadline(sentNanos, leaseNanos, options);
    }

    /** Whether {@link System#nanoTime()} is still before the deadline. */
    boolean isValid() {
        return System.nanoTime() - deadlineNanos < 0;
    }

    /** Time left before the deadline, never negative. */
    Duration remaining() {
        return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
    }

    long deadlineNanos() {
        return deadlineNanos;
    }
}
