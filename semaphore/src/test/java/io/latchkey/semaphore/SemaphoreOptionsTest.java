package io.latchkey.semaphore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Pure logic: option builders, value types and the drift margin. */
class SemaphoreOptionsTest {

    @Test
    void acquireOptionsDefaultsToASingleAttemptWithoutWatchdog() {
        AcquireOptions o = AcquireOptions.builder(Duration.ofSeconds(3)).build();
        assertEquals(Duration.ofSeconds(3), o.leaseTime());
        assertEquals(Duration.ZERO, o.maxWait());
        assertFalse(o.watchdog());
        assertTrue(o.maxHold().isEmpty());
        assertTrue(o.leaseLostListener().isEmpty());
    }

    @Test
    void acquireOptionsRejectBadValuesNamingTheParameter() {
        assertMessage("leaseTime", assertThrows(NullPointerException.class, () -> AcquireOptions.builder(null)));
        assertMessage("leaseTime", assertThrows(IllegalArgumentException.class,
                () -> AcquireOptions.builder(Duration.ZERO)));
        assertMessage("leaseTime", assertThrows(IllegalArgumentException.class,
                () -> AcquireOptions.builder(Duration.ofNanos(500))));
        AcquireOptions.Builder b = AcquireOptions.builder(Duration.ofSeconds(1));
        assertMessage("maxWait", assertThrows(IllegalArgumentException.class, () -> b.maxWait(Duration.ofMillis(-1))));
        assertMessage("maxHold", assertThrows(IllegalArgumentException.class, () -> b.maxHold(Duration.ZERO)));
        assertMessage("leaseLostListener", assertThrows(NullPointerException.class, () -> b.onLeaseLost(null)));
    }

    @Test
    void watchdogOnlySettingsWithoutWatchdogAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AcquireOptions.builder(Duration.ofSeconds(1)).maxHold(Duration.ofSeconds(5)).build());
        assertMessage("maxHold", e);
        e = assertThrows(IllegalArgumentException.class,
                () -> AcquireOptions.builder(Duration.ofSeconds(1)).onLeaseLost((n, c) -> { }).build());
        assertMessage("onLeaseLost", e);
        AcquireOptions ok = AcquireOptions.builder(Duration.ofSeconds(1)).watchdog(true)
                .maxHold(Duration.ofSeconds(5)).onLeaseLost((n, c) -> { }).build();
        assertEquals(Duration.ofSeconds(5), ok.maxHold().orElseThrow());
    }

    @Test
    void semaphoreOptionsCheckTheirBounds() {
        assertEquals(SemaphoreOptions.DEFAULT_STATE_RETENTION, SemaphoreOptions.defaults().stateRetention());
        assertMessage("stateRetention", assertThrows(IllegalArgumentException.class,
                () -> SemaphoreOptions.builder().stateRetention(Duration.ofMillis(999))));
        assertMessage("maxRecheck", assertThrows(IllegalArgumentException.class,
                () -> SemaphoreOptions.builder().maxRecheck(Duration.ZERO)));
        assertEquals(Duration.ofMillis(50),
                SemaphoreOptions.builder().maxRecheck(Duration.ofMillis(50)).build().maxRecheck());
    }

    @Test
    void statsAvailableNeverGoesNegativeAfterAShrink() {
        assertEquals(2, new SemaphoreStats(5, 3, 3, Instant.EPOCH).available());
        assertEquals(0, new SemaphoreStats(1, 3, 3, Instant.EPOCH).available());
    }

    @Test
    void driftMarginIsOnePercentPlusTwoMillis() {
        assertEquals(2_000_000L + 10_000_000L, RedisPermit.drift(1_000_000_000L));
        assertEquals(2_000_000L, RedisPermit.drift(0));
    }

    private static void assertMessage(String parameter, Throwable e) {
        assertTrue(String.valueOf(e.getMessage()).contains(parameter),
                () -> "message should name " + parameter + ": " + e.getMessage());
    }
}
