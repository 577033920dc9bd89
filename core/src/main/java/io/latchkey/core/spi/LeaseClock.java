package io.latchkey.core.spi;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongUnaryOperator;

/**
 * A lease's local deadline: {@code send time + lease - drift margin}, with the send time read from
 * {@link System#nanoTime()} BEFORE the acquiring (or extending) request went out, so a lease never claims time Redis
 * did not grant. The drift margin (clock-rate drift between client and server over a lease) is the module's choice.
 * Thread-safe: renewals and reads may come from any thread.
 */
public final class LeaseClock {

    private final LongUnaryOperator drift;
    private volatile long deadlineNanos;
    private volatile long leaseEndNanos;

    /**
     * @param sentNanos  {@link System#nanoTime()} read before the request was sent
     * @param leaseNanos the lease Redis granted (or the smaller remainder it reported)
     * @param drift      the drift margin in nanoseconds for a lease of the given length in nanoseconds
     */
    public LeaseClock(long sentNanos, long leaseNanos, LongUnaryOperator drift) {
        this.drift = Objects.requireNonNull(drift, "drift");
        renewed(sentNanos, leaseNanos);
    }

    private LeaseClock(LongUnaryOperator drift) {
        this.drift = Objects.requireNonNull(drift, "drift");
    }

    /**
     * A clock whose first deadline the module computed itself (Redlock: from the quorum's grant); renewals then
     * follow {@link #renewed} with {@code drift}.
     */
    public static LeaseClock of(long deadlineNanos, long leaseEndNanos, LongUnaryOperator drift) {
        LeaseClock clock = new LeaseClock(drift);
        clock.deadlineNanos = deadlineNanos;
        clock.leaseEndNanos = leaseEndNanos;
        return clock;
    }

    /**
     * The usual drift margin: {@code leaseNanos × factor + minimum} (what a lock's {@code driftFactor} and
     * {@code driftMinimum} options mean), in nanoseconds.
     */
    public static long driftNanos(long leaseNanos, double factor, Duration minimum) {
        return (long) (leaseNanos * factor) + minimum.toNanos();
    }

    /** {@code sentNanos + leaseNanos - drift(leaseNanos)}. */
    public static long deadline(long sentNanos, long leaseNanos, LongUnaryOperator drift) {
        return sentNanos + leaseNanos - drift.applyAsLong(leaseNanos);
    }

    /** After a successful extend/renew that was sent at {@code sentNanos} for {@code leaseNanos}. */
    public void renewed(long sentNanos, long leaseNanos) {
        leaseEndNanos = sentNanos + leaseNanos;
        deadlineNanos = deadline(sentNanos, leaseNanos, drift);
    }

    /** Moves the deadline to {@code deadlineNanos} if that is earlier (a failed extension that shortened a lease). */
    public void shortenTo(long deadlineNanos) {
        if (deadlineNanos - this.deadlineNanos < 0) {
            this.deadlineNanos = deadlineNanos;
        }
    }

    /** Whether {@link System#nanoTime()} is still before the deadline. */
    public boolean isValid() {
        return System.nanoTime() - deadlineNanos < 0;
    }

    /** Time left before the deadline, never negative. */
    public Duration remaining() {
        return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
    }

    /** The local deadline, in {@link System#nanoTime()} terms. */
    public long deadlineNanos() {
        return deadlineNanos;
    }

    /**
     * The deadline without the drift margin ({@code send time + lease} of the last grant): the latest the server-side
     * lease can last by the local clock, e.g. how long a background release is worth retrying.
     */
    public long leaseEndNanos() {
        return leaseEndNanos;
    }
}
