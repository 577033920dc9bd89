package io.latchkey.core.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;

class LeaseClockTest {

    private static final LongUnaryOperator ONE_PERCENT_PLUS_2MS = lease -> lease / 100 + 2_000_000L;

    @Test
    void deadlineIsSendTimePlusLeaseMinusDrift() {
        long sent = System.nanoTime();
        LeaseClock clock = new LeaseClock(sent, 1_000_000_000L, ONE_PERCENT_PLUS_2MS);
        assertEquals(sent + 1_000_000_000L - 12_000_000L, clock.deadlineNanos());
        assertEquals(sent + 1_000_000_000L, clock.leaseEndNanos(), "the lease end carries no drift margin");
        assertEquals(clock.deadlineNanos(), LeaseClock.deadline(sent, 1_000_000_000L, ONE_PERCENT_PLUS_2MS));
        assertTrue(clock.isValid());
        assertTrue(clock.remaining().toNanos() <= 988_000_000L);
        assertTrue(clock.remaining().toNanos() > 0);
    }

    @Test
    void neverValidPastItsDeadlineUntilRenewed() {
        long sent = System.nanoTime() - 2_000_000_000L;
        LeaseClock clock = new LeaseClock(sent, 1_000_000_000L, ONE_PERCENT_PLUS_2MS);
        assertFalse(clock.isValid());
        assertEquals(Duration.ZERO, clock.remaining(), "never negative");

        long renewed = System.nanoTime();
        clock.renewed(renewed, 5_000_000_000L);
        assertTrue(clock.isValid());
        assertEquals(renewed + 5_000_000_000L - 52_000_000L, clock.deadlineNanos());
        assertEquals(renewed + 5_000_000_000L, clock.leaseEndNanos());
        assertTrue(clock.remaining().compareTo(Duration.ofMillis(4948)) <= 0, "5 s minus 52 ms of drift");
    }

    @Test
    void driftIsTheCallersChoice() {
        LeaseClock noDrift = new LeaseClock(100L, 1_000L, lease -> 0L);
        assertEquals(1_100L, noDrift.deadlineNanos());
        assertThrows(NullPointerException.class, () -> new LeaseClock(0L, 1L, null));
    }
}
