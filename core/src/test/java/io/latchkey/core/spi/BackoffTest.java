package io.latchkey.core.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private static final long MS = 1_000_000L;

    @Test
    void delaysDoubleFromInitialUpToMaxAndStayInTheUpperHalf() {
        Backoff b = Backoff.exponential(Duration.ofMillis(10), Duration.ofMillis(250));
        long[] ceilings = {10, 20, 40, 80, 160, 250, 250};
        for (int attempt = 0; attempt < ceilings.length; attempt++) {
            for (int i = 0; i < 200; i++) {
                long d = b.delayNanos(attempt);
                long ceiling = ceilings[attempt] * MS;
                assertTrue(d >= ceiling / 2 && d <= ceiling, "attempt " + attempt + ": " + d);
            }
        }
    }

    @Test
    void delaysAreJittered() {
        Backoff b = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(2));
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            seen.add(b.delayNanos(3));
        }
        assertTrue(seen.size() > 10, "waiters that failed together spread out: " + seen.size());
    }

    @Test
    void largeAttemptsNeverOverflowPastMax() {
        Backoff b = Backoff.exponential(Duration.ofNanos(3), Duration.ofDays(365));
        for (int attempt : new int[] {62, 63, 64, 1_000, Integer.MAX_VALUE}) {
            long d = b.delayNanos(attempt);
            assertTrue(d > 0 && d <= Duration.ofDays(365).toNanos(), attempt + ": " + d);
        }
    }

    @Test
    void millisecondsAreAtLeastOne() {
        Backoff b = Backoff.exponential(Duration.ofNanos(10), Duration.ofNanos(10));
        assertEquals(1, b.delayMillis(0));
    }

    @Test
    void jitterStaysWithinItsBound() {
        assertEquals(0, Backoff.jitter(0));
        assertEquals(0, Backoff.jitter(-5));
        for (int i = 0; i < 200; i++) {
            long j = Backoff.jitter(5 * MS);
            assertTrue(j >= 0 && j <= 5 * MS, String.valueOf(j));
        }
    }

    @Test
    void badInputIsRejectedNamingTheParameter() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Backoff.exponential(Duration.ZERO, Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("initial"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Backoff.exponential(Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("max"), e.getMessage());
        assertThrows(NullPointerException.class, () -> Backoff.exponential(null, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class,
                () -> Backoff.exponential(Duration.ofMillis(1), Duration.ofMillis(2)).delayNanos(-1));
    }
}
