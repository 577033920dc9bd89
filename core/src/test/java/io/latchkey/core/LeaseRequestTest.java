package io.latchkey.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Pure logic: the one acquire request of locks and semaphores checks every value when it is set. */
class LeaseRequestTest {

    @Test
    void defaultsToASingleAttemptWithoutWatchdog() {
        for (LeaseRequest r : new LeaseRequest[] {LeaseRequest.of(Duration.ofSeconds(3)),
                LeaseRequest.builder(Duration.ofSeconds(3)).build()}) {
            assertEquals(Duration.ofSeconds(3), r.leaseTime());
            assertEquals(Duration.ZERO, r.maxWait());
            assertFalse(r.watchdog());
            assertTrue(r.maxHold().isEmpty());
            assertTrue(r.leaseLostListener().isEmpty());
        }
        assertEquals(Duration.ofSeconds(2), LeaseRequest.of(Duration.ofSeconds(3), Duration.ofSeconds(2)).maxWait());
    }

    @Test
    void keepsEverySetting() {
        LeaseLostListener listener = (n, c) -> { };
        LeaseRequest r = LeaseRequest.builder(Duration.ofSeconds(3)).maxWait(Duration.ofSeconds(1)).watchdog(true)
                .maxHold(Duration.ofMinutes(1)).onLeaseLost(listener).build();
        assertEquals(Duration.ofSeconds(1), r.maxWait());
        assertTrue(r.watchdog());
        assertEquals(Duration.ofMinutes(1), r.maxHold().orElseThrow());
        assertSame(listener, r.leaseLostListener().orElseThrow());
        assertTrue(r.toString().contains("maxHold=PT1M"), r.toString());
    }

    @Test
    void rejectsBadValuesNamingTheParameter() {
        assertMessage("leaseTime", assertThrows(NullPointerException.class, () -> LeaseRequest.builder(null)));
        assertMessage("leaseTime", assertThrows(NullPointerException.class, () -> LeaseRequest.of(null)));
        assertMessage("leaseTime", assertThrows(IllegalArgumentException.class,
                () -> LeaseRequest.builder(Duration.ZERO)));
        assertMessage("leaseTime", assertThrows(IllegalArgumentException.class,
                () -> LeaseRequest.builder(Duration.ofMillis(-5))));
        assertMessage("leaseTime", assertThrows(IllegalArgumentException.class,
                () -> LeaseRequest.builder(Duration.ofNanos(500))));
        assertMessage("leaseTime", assertThrows(IllegalArgumentException.class,
                () -> LeaseRequest.builder(Duration.ofDays(4000))));
        LeaseRequest.Builder b = LeaseRequest.builder(Duration.ofSeconds(1));
        assertMessage("maxWait", assertThrows(IllegalArgumentException.class, () -> b.maxWait(Duration.ofMillis(-1))));
        assertMessage("maxWait", assertThrows(NullPointerException.class, () -> b.maxWait(null)));
        assertMessage("maxWait", assertThrows(IllegalArgumentException.class,
                () -> LeaseRequest.of(Duration.ofSeconds(1), Duration.ofSeconds(-1))));
        assertMessage("maxHold", assertThrows(IllegalArgumentException.class, () -> b.maxHold(Duration.ZERO)));
        assertMessage("leaseLostListener", assertThrows(NullPointerException.class, () -> b.onLeaseLost(null)));
        assertEquals(Duration.ZERO, b.build().maxWait(), "a rejected value leaves the builder unchanged");
    }

    @Test
    void watchdogOnlySettingsWithoutWatchdogAreRejected() {
        assertMessage("maxHold", assertThrows(IllegalArgumentException.class,
                () -> LeaseRequest.builder(Duration.ofSeconds(1)).maxHold(Duration.ofSeconds(5)).build()));
        assertMessage("onLeaseLost", assertThrows(IllegalArgumentException.class,
                () -> LeaseRequest.builder(Duration.ofSeconds(1)).onLeaseLost((n, c) -> { }).build()));
        assertMessage("watchdog", assertThrows(IllegalArgumentException.class,
                () -> LeaseRequest.builder(Duration.ofSeconds(1)).watchdog(true).maxHold(Duration.ofSeconds(5))
                        .watchdog(false).build()));
    }

    private static void assertMessage(String parameter, Throwable e) {
        assertTrue(String.valueOf(e.getMessage()).contains(parameter),
                () -> "message should name " + parameter + ": " + e.getMessage());
    }
}
