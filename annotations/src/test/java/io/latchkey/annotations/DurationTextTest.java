package io.latchkey.annotations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationTextTest {

    @Test
    void unitsIsoAndCompounds() {
        assertEquals(Duration.ofMillis(500), DurationText.parse("500ms", "w"));
        assertEquals(Duration.ofSeconds(30), DurationText.parse("30s", "w"));
        assertEquals(Duration.ofSeconds(30), DurationText.parse("PT30S", "w"));
        assertEquals(Duration.ofSeconds(30), DurationText.parse("pt30s", "w"));
        assertEquals(Duration.ofSeconds(90), DurationText.parse("1m30s", "w"));
        assertEquals(Duration.ofHours(2), DurationText.parse(" 2h ", "w"));
        assertEquals(Duration.ofDays(1), DurationText.parse("1d", "w"));
        assertEquals(Duration.ofDays(1), DurationText.parse("P1D", "w"));
        assertEquals(Duration.ZERO, DurationText.parse("0", "w"));
        assertEquals(Duration.ZERO, DurationText.parse("0s", "w"));
    }

    @Test
    void badTextNamesWhere() {
        for (String bad : new String[] {"", " ", "30", "30 s", "s", "1.5s", "30sec", "PT", "P-x", "-5s", "5s3"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> DurationText.parse(bad, "@X(lease) of S.m()"), bad);
            assertTrue(e.getMessage().startsWith("@X(lease) of S.m()"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> DurationText.parse("99999999999999999999d", "w"));
    }

    @Test
    void positiveAndNonNegative() {
        assertThrows(IllegalArgumentException.class, () -> DurationText.positive("0s", "w"));
        assertThrows(IllegalArgumentException.class, () -> DurationText.positive("PT-1S", "w"));
        assertThrows(IllegalArgumentException.class, () -> DurationText.positive("PT0.0005S", "w"));
        assertEquals(Duration.ofMillis(1), DurationText.positive("1ms", "w"));
        assertEquals(Duration.ZERO, DurationText.nonNegative("0s", "w"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DurationText.nonNegative("-PT1S", "w"));
        assertTrue(e.getMessage().contains("negative"), e.getMessage());
    }

    @Test
    void hugeIsoDurationsAreRefusedNotOverflowed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DurationText.positive("PT9999999999999999S", "@Lock(leaseTime)"));
        assertTrue(e.getMessage().contains("too large"), e.getMessage());
    }
}
