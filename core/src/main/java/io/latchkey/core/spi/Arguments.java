package io.latchkey.core.spi;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/** Argument checks that name the parameter, run before any Redis call. */
public final class Arguments {

    /**
     * The longest duration a wait or hold may have (2^61 ns, about 73 years): {@link #positive(Duration, String)} and
     * {@link #nonNegative(Duration, String)} clamp longer ones to it, so "wait forever" written as
     * {@code Duration.ofMillis(Long.MAX_VALUE)} means exactly that and nanosecond arithmetic cannot overflow.
     */
    public static final Duration LONGEST = Duration.ofNanos(Long.MAX_VALUE / 4);
    /** Shortest accepted network timeout: below it every command would time out. */
    public static final Duration SHORTEST_TIMEOUT = Duration.ofMillis(1);
    /** Longest accepted network timeout: beyond it an outage would block callers for hours. */
    public static final Duration LONGEST_TIMEOUT = Duration.ofHours(1);

    private Arguments() {
    }

    /** {@code value > 0}; values beyond {@link #LONGEST} are clamped to it. */
    public static Duration positive(Duration value, String parameter) {
        Objects.requireNonNull(value, parameter);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(parameter + " must be > 0, was " + value);
        }
        return clamp(value);
    }

    /** {@code value >= 0}; {@link Duration#ZERO} means "do not wait"; values beyond {@link #LONGEST} are clamped to it. */
    public static Duration nonNegative(Duration value, String parameter) {
        Objects.requireNonNull(value, parameter);
        if (value.isNegative()) {
            throw new IllegalArgumentException(parameter + " must be >= 0, was " + value);
        }
        return clamp(value);
    }

    private static Duration clamp(Duration value) {
        return value.compareTo(LONGEST) > 0 ? LONGEST : value;
    }

    /** A network timeout: from {@link #SHORTEST_TIMEOUT} (1 ms) to {@link #LONGEST_TIMEOUT} (1 hour). */
    public static Duration timeout(Duration value, String parameter) {
        positive(value, parameter);
        if (value.compareTo(SHORTEST_TIMEOUT) < 0) {
            throw new IllegalArgumentException(parameter + " must be at least 1 ms, was " + value);
        }
        if (value.compareTo(LONGEST_TIMEOUT) > 0) {
            throw new IllegalArgumentException(parameter + " must be at most 1 hour, was " + value);
        }
        return value;
    }

    /**
     * Rejects text that is not well-formed UTF-16 (a surrogate without its pair). Redis stores the UTF-8 encoding,
     * in which an unpaired surrogate becomes {@code ?}, so two distinct strings would name the same key.
     */
    public static String wellFormed(String value, String parameter) {
        Objects.requireNonNull(value, parameter);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!Character.isSurrogate(c)) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
                continue;
            }
            throw new IllegalArgumentException(parameter + " must be well-formed UTF-16: unpaired surrogate U+"
                    + Integer.toHexString(c).toUpperCase(Locale.ROOT) + " at index " + i);
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

    /**
     * The timeout of a {@code replicas(n, timeout)} option (locks, semaphores): {@code n >= 0}; with {@code n >= 1}
     * the timeout must be at least 1 ms and is kept; with {@code n == 0} the check is off and the answer is
     * {@link Duration#ZERO}.
     */
    public static Duration replicaTimeout(int replicas, Duration timeout) {
        if (replicas < 0) {
            throw new IllegalArgumentException("replicas must be >= 0, was " + replicas);
        }
        java.util.Objects.requireNonNull(timeout, "timeout");
        if (replicas == 0) {
            return Duration.ZERO;
        }
        toMillis(timeout, "timeout");
        return timeout;
    }

    /** A duration Redis can store in milliseconds without overflow and that is at least 1 ms. */
    public static long toMillis(Duration value, String parameter) {
        value = positive(value, parameter);
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
