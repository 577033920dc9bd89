package io.latchkey.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.ReleaseResult;
import io.latchkey.core.spi.LeaseClock;
import io.latchkey.core.spi.LockMetrics;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Pure logic: options, the lease clock and metric groups (the acquire request: core's LeaseRequestTest). */
class LockOptionsTest {

    @Test
    void optionsDefaultsAndChecks() {
        LockOptions d = LockOptions.defaults();
        assertEquals(0.01, d.driftFactor());
        assertEquals(Duration.ofMillis(2), d.driftMinimum());
        assertEquals(Duration.ofSeconds(1), d.maxRecheck());
        assertEquals(Duration.ofDays(30), d.fencingCounterTtl());
        assertTrue(d.metricsGroup().isEmpty());
        // 10 s lease: 100 ms + 2 ms
        assertEquals(102_000_000L, d.driftNanos(10_000_000_000L));

        assertThrows(IllegalArgumentException.class, () -> LockOptions.builder().driftFactor(-0.1));
        assertThrows(IllegalArgumentException.class, () -> LockOptions.builder().driftFactor(0.5));
        assertThrows(IllegalArgumentException.class, () -> LockOptions.builder().driftFactor(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> LockOptions.builder().driftMinimum(Duration.ofMillis(-1)));
        assertThrows(IllegalArgumentException.class, () -> LockOptions.builder().maxRecheck(Duration.ZERO));
        assertThrows(IllegalArgumentException.class,
                () -> LockOptions.builder().fencingCounterTtl(Duration.ofMillis(500)));
        assertThrows(IllegalArgumentException.class, () -> LockOptions.builder().metricsGroup("a{b"));
        assertThrows(NullPointerException.class, () -> LockOptions.builder().metricsGroup(null));
    }

    @Test
    void metricsGroupIsTheNameUpToItsFirstColon() {
        LockOptions d = LockOptions.defaults();
        assertEquals("order", LockMetrics.group("order:42", d.metricsGroup()));
        assertEquals("order", LockMetrics.group("order:42:line:7", d.metricsGroup()));
        assertEquals("nightly", LockMetrics.group("nightly", d.metricsGroup()));
        assertEquals(":odd", LockMetrics.group(":odd", d.metricsGroup()), "a leading colon leaves the name whole");
        assertEquals("jobs", LockMetrics.group("order:42", LockOptions.builder().metricsGroup("jobs").build().metricsGroup()));
    }

    @Test
    void leaseClockStartsFromTheSendTimeMinusDrift() {
        LockOptions o = LockOptions.defaults();
        long sent = System.nanoTime();
        LeaseClock clock = new LeaseClock(sent, 1_000_000_000L, o::driftNanos);
        assertEquals(sent + 1_000_000_000L - 12_000_000L, clock.deadlineNanos());
        assertTrue(clock.isValid());
        assertTrue(clock.remaining().toNanos() <= 988_000_000L);

        LeaseClock past = new LeaseClock(sent - 2_000_000_000L, 1_000_000_000L, o::driftNanos);
        assertFalse(past.isValid(), "never valid past its deadline");
        assertEquals(Duration.ZERO, past.remaining());
        past.renewed(System.nanoTime(), 5_000_000_000L);
        assertTrue(past.isValid());
        assertTrue(past.remaining().compareTo(Duration.ofMillis(4948)) <= 0, "5 s minus 52 ms of drift");
    }

    @Test
    void releaseResults() {
        assertTrue(ReleaseResult.RELEASED.wasHeld());
        assertFalse(ReleaseResult.TAKEN_OVER.wasHeld());
        assertFalse(ReleaseResult.ALREADY_GONE.wasHeld());
    }
}
