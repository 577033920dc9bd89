package io.latchkey.semaphore;

import io.latchkey.core.LeaseLostListener;
import io.latchkey.core.spi.Arguments;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to acquire one permit: the lease, how long to wait, and the opt-in watchdog that renews the lease while the
 * permit is held. Immutable.
 *
 * <pre>{@code
 * AcquireOptions o = AcquireOptions.builder(Duration.ofSeconds(30))
 *         .maxWait(Duration.ofSeconds(5))
 *         .watchdog(true).maxHold(Duration.ofMinutes(10))
 *         .onLeaseLost((name, cause) -> abortWork())
 *         .build();
 * }</pre>
 */
public final class AcquireOptions {

    private final Duration leaseTime;
    private final Duration maxWait;
    private final boolean watchdog;
    private final Duration maxHold;
    private final LeaseLostListener leaseLostListener;

    private AcquireOptions(Builder b) {
        this.leaseTime = b.leaseTime;
        this.maxWait = b.maxWait;
        this.watchdog = b.watchdog;
        this.maxHold = b.maxHold;
        this.leaseLostListener = b.leaseLostListener;
    }

    /**
     * Starts options with a lease; without a watchdog the permit expires {@code leaseTime} after it was granted
     * unless extended.
     *
     * @throws IllegalArgumentException if {@code leaseTime} is not positive (or not a whole number of ms >= 1)
     */
    public static Builder builder(Duration leaseTime) {
        return new Builder(leaseTime);
    }

    /** The lease (with the watchdog: the renewal period is a third of it). */
    public Duration leaseTime() {
        return leaseTime;
    }

    /** How long to wait for a permit; {@link Duration#ZERO} (the default) means a single attempt. */
    public Duration maxWait() {
        return maxWait;
    }

    /** Whether the lease is renewed automatically until release. */
    public boolean watchdog() {
        return watchdog;
    }

    /** With the watchdog: stop renewing after this long (the permit then expires); empty: until release. */
    public Optional<Duration> maxHold() {
        return Optional.ofNullable(maxHold);
    }

    /** With the watchdog: told once if the permit is lost; empty: none. */
    public Optional<LeaseLostListener> leaseLostListener() {
        return Optional.ofNullable(leaseLostListener);
    }

    @Override
    public String toString() {
        return "AcquireOptions[leaseTime=" + leaseTime + ", maxWait=" + maxWait + ", watchdog=" + watchdog
                + (maxHold != null ? ", maxHold=" + maxHold : "") + "]";
    }

    /** Builder of {@link AcquireOptions}; every setter checks its argument at once. */
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

        /** How long to wait; {@code >= 0}, {@link Duration#ZERO} for a single attempt. */
        public Builder maxWait(Duration maxWait) {
            this.maxWait = Arguments.nonNegative(maxWait, "maxWait");
            return this;
        }

        /** Renew the lease every third of it until {@link Permit#release()} (off by default). */
        public Builder watchdog(boolean watchdog) {
            this.watchdog = watchdog;
            return this;
        }

        /** With the watchdog: the longest the permit may be held; then renewal stops and the listener is told. */
        public Builder maxHold(Duration maxHold) {
            this.maxHold = Arguments.positive(maxHold, "maxHold");
            return this;
        }

        /** With the watchdog: called once, on a Latchkey thread, if the permit is lost. Must not block. */
        public Builder onLeaseLost(LeaseLostListener listener) {
            this.leaseLostListener = Objects.requireNonNull(listener, "leaseLostListener");
            return this;
        }

        /**
         * @throws IllegalArgumentException if {@code maxHold} or a listener is set without the watchdog (neither
         *                                  would ever take effect)
         */
        public AcquireOptions build() {
            Arguments.requireWatchdogFor(watchdog, maxHold, leaseLostListener, "permit");
            return new AcquireOptions(this);
        }
    }
}
