package io.latchkey.core;

import io.latchkey.core.spi.Arguments;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to acquire a {@link Lease} once, the same for a lock and a semaphore permit: the lease, how long to wait, and
 * the opt-in watchdog that renews the lease (every third of it) until it is released. Immutable; every builder
 * setter checks its argument at once.
 *
 * <pre>{@code
 * LeaseRequest r = LeaseRequest.builder(Duration.ofSeconds(30))
 *         .maxWait(Duration.ofSeconds(5))
 *         .watchdog(true).maxHold(Duration.ofMinutes(10))
 *         .onLeaseLost((name, cause) -> abortWork())
 *         .build();
 * Optional<LockLease> lease = lock.tryAcquire(r);       // or: Optional<Permit> p = semaphore.tryAcquire(r);
 * }</pre>
 */
public final class LeaseRequest {

    private final Duration leaseTime;
    private final Duration maxWait;
    private final boolean watchdog;
    private final Duration maxHold;
    private final LeaseLostListener leaseLostListener;

    private LeaseRequest(Builder b) {
        this.leaseTime = b.leaseTime;
        this.maxWait = b.maxWait;
        this.watchdog = b.watchdog;
        this.maxHold = b.maxHold;
        this.leaseLostListener = b.leaseLostListener;
    }

    /**
     * Starts a request.
     *
     * @param leaseTime how long the lease lasts (with the watchdog: the renewal step); at least 1 ms, at most
     *                  3650 days
     * @throws IllegalArgumentException if {@code leaseTime} is out of range
     * @throws NullPointerException     if {@code leaseTime} is null
     */
    public static Builder builder(Duration leaseTime) {
        return new Builder(leaseTime);
    }

    /** A request without waiting and without watchdog. */
    public static LeaseRequest of(Duration leaseTime) {
        return builder(leaseTime).build();
    }

    /** A request waiting up to {@code maxWait}, without watchdog. */
    public static LeaseRequest of(Duration leaseTime, Duration maxWait) {
        return builder(leaseTime).maxWait(maxWait).build();
    }

    /** The lease. */
    public Duration leaseTime() {
        return leaseTime;
    }

    /** How long to wait; {@link Duration#ZERO} (the default) means a single attempt. */
    public Duration maxWait() {
        return maxWait;
    }

    /** Whether the watchdog renews the lease until release. */
    public boolean watchdog() {
        return watchdog;
    }

    /** With the watchdog: the longest total hold, after which renewal stops; empty means until release. */
    public Optional<Duration> maxHold() {
        return Optional.ofNullable(maxHold);
    }

    /** With the watchdog: told once if the lease is lost. */
    public Optional<LeaseLostListener> leaseLostListener() {
        return Optional.ofNullable(leaseLostListener);
    }

    @Override
    public String toString() {
        return "LeaseRequest[leaseTime=" + leaseTime + ", maxWait=" + maxWait + ", watchdog=" + watchdog
                + (maxHold != null ? ", maxHold=" + maxHold : "") + "]";
    }

    /** Builder of {@link LeaseRequest}. */
    public static final class Builder {
        private final Duration leaseTime;
        private Duration maxWait = Duration.ZERO;
        private boolean watchdog;
        private Duration maxHold;
        private LeaseLostListener leaseLostListener;

        private Builder(Duration leaseTime) {
            Arguments.toMillis(leaseTime, "leaseTime");
            this.leaseTime = leaseTime;
        }

        /** How long to wait for the lease; {@code >= 0}, {@link Duration#ZERO} for a single attempt. */
        public Builder maxWait(Duration maxWait) {
            this.maxWait = Arguments.nonNegative(maxWait, "maxWait");
            return this;
        }

        /** Renew the lease every third of it until {@link Lease#release()} (off by default). */
        public Builder watchdog(boolean watchdog) {
            this.watchdog = watchdog;
            return this;
        }

        /** With the watchdog: the longest the lease may be held; then renewal stops and the listener is told. */
        public Builder maxHold(Duration maxHold) {
            this.maxHold = Arguments.positive(maxHold, "maxHold");
            return this;
        }

        /** With the watchdog: called once, on a Latchkey scheduler thread, if the lease is lost. Must not block. */
        public Builder onLeaseLost(LeaseLostListener listener) {
            this.leaseLostListener = Objects.requireNonNull(listener, "leaseLostListener");
            return this;
        }

        /**
         * Builds the request.
         *
         * @throws IllegalArgumentException if {@code maxHold} or a listener is set without the watchdog (neither
         *                                  would ever take effect)
         */
        public LeaseRequest build() {
            Arguments.requireWatchdogFor(watchdog, maxHold, leaseLostListener, "lease");
            return new LeaseRequest(this);
        }
    }
}
