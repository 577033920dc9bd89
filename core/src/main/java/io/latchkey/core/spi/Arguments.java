package io.latchkey.core.spi;

import java.time.Duration;
import java.util.Objects;

/** Argument checks that name the parameter, run before any Redis call. */
public final class Arguments {

    private Arguments() {
    }

    /** {@code value > 0}. */
    public static Duration positive(Duration value, String parameter) {
        Objects.requireNonNull(value, parameter);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(parameter + " must be > 0, was " + value);
        }
        return value;
    }

    /** {@code value >= 0}; {@link Duration#ZERO} means "do not wait". */
    public static Duration nonNegative(Duration value, String parameter) {
        Objects.requireNonNull(value, parameter);
        if (value.isNegative()) {
            throw new IllegalArgumentException(parameter + " must be >= 0, was " + value);
        }
        return value;
    }

    /** {@code value > 0}. */
    public static long positive(long value, String parameter) {
        if (value <= 0) {
            throw new IllegalArgumentException(parameter + " must be > 0, was " + value);
        }
        return value;
    }

    /** Non-null, non-blank text. */
    public static String notBlank(String value, String parameter) {
        Objects.requireNonNull(value, parameter);
        if (value.isBlank()) {
            throw new IllegalArgumentException(parameter + " must not be blank");
        }
        return value;
    }

    /** A duration Redis can store in milliseconds without overflow and that is at least 1 ms. */
    public static long toMillis(Duration value, String parameter) {
        positive(value, parameter);
        if (value.compareTo(Duration.ofDays(3650)) > 0) {
            throw new IllegalArgumentException(parameter + " must be at most 3650 days, was " + value);
        }
        long ms = value.toMillis();
        if (ms < 1) {
            throw new IllegalArgumentException(parameter + " must be at least 1 ms, was " + value);
        }
        return ms;
    }

    /**
     * Rejects {@code maxHold} or a lease-lost listener without the watchdog: neither would ever take effect.
     *
     * @param what what the lease is called in the message ("lease", "permit")
     */
    public static void requireWatchdogFor(boolean watchdog, Duration maxHold, Object leaseLostListener, String what) {
        if (!watchdog && maxHold != null) {
            throw new IllegalArgumentException("maxHold requires watchdog(true): without renewal the " + what
                    + " already ends after leaseTime");
        }
        if (!watchdog && leaseLostListener != null) {
            throw new IllegalArgumentException("onLeaseLost requires watchdog(true): only the watchdog detects"
                    + " a lost " + what);
        }
    }
}
