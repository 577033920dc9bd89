package io.latchkey.core.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ArgumentsTest {

    @Test
    void positiveDurations() {
        assertEquals(Duration.ofMillis(1), Arguments.positive(Duration.ofMillis(1), "leaseTime"));
        assertMessage(() -> Arguments.positive(Duration.ZERO, "leaseTime"), "leaseTime must be > 0");
        assertMessage(() -> Arguments.positive(Duration.ofSeconds(-1), "leaseTime"), "leaseTime must be > 0");
        NullPointerException npe = assertThrows(NullPointerException.class, () -> Arguments.positive(null, "leaseTime"));
        assertEquals("leaseTime", npe.getMessage());
    }

    @Test
    void nonNegativeDurations() {
        assertEquals(Duration.ZERO, Arguments.nonNegative(Duration.ZERO, "maxWait"));
        assertMessage(() -> Arguments.nonNegative(Duration.ofNanos(-1), "maxWait"), "maxWait must be >= 0");
    }

    @Test
    void positiveCounts() {
        assertEquals(3, Arguments.positive(3, "permits"));
        assertMessage(() -> Arguments.positive(0, "permits"), "permits must be > 0");
    }

    @Test
    void millisecondsMustBeRepresentable() {
        assertEquals(1500, Arguments.toMillis(Duration.ofMillis(1500), "ttl"));
        assertMessage(() -> Arguments.toMillis(Duration.ofNanos(10), "ttl"), "ttl must be at least 1 ms");
        assertMessage(() -> Arguments.toMillis(Duration.ofDays(4000), "ttl"), "ttl must be at most 3650 days");
    }

    @Test
    void hugeWaitsAreClampedInsteadOfOverflowing() {
        Duration forever = Duration.ofMillis(Long.MAX_VALUE);
        assertEquals(Arguments.LONGEST, Arguments.nonNegative(forever, "maxWait"));
        assertEquals(Arguments.LONGEST, Arguments.positive(Duration.ofSeconds(Long.MAX_VALUE), "maxHold"));
        Arguments.nonNegative(forever, "maxWait").toNanos(); // no ArithmeticException
        assertMessage(() -> Arguments.toMillis(Duration.ofSeconds(Long.MAX_VALUE), "leaseTime"),
                "leaseTime must be at most 3650 days");
    }

    @Test
    void timeoutsHaveASaneRange() {
        assertEquals(Duration.ofMillis(1), Arguments.timeout(Duration.ofMillis(1), "commandTimeout"));
        assertMessage(() -> Arguments.timeout(Duration.ofNanos(1), "commandTimeout"),
                "commandTimeout must be at least 1 ms");
        assertMessage(() -> Arguments.timeout(Duration.ZERO, "commandTimeout"), "commandTimeout must be > 0");
        assertMessage(() -> Arguments.timeout(Duration.ofMillis(Long.MAX_VALUE), "commandTimeout"),
                "commandTimeout must be at most 1 hour");
    }

    @Test
    void unpairedSurrogatesAreRejected() {
        assertEquals("user\ud83d\ude00", Arguments.wellFormed("user\ud83d\ude00", "key"), "a pair is fine");
        assertMessage(() -> Arguments.wellFormed("user\ud800", "key"),
                "key must be well-formed UTF-16: unpaired surrogate U+D800 at index 4");
        assertMessage(() -> Arguments.wellFormed("user\udfff", "key"), "key must be well-formed UTF-16");
        assertMessage(() -> Arguments.wellFormed("\ude00\ud83d", "key"), "key must be well-formed UTF-16");
        assertMessage(() -> Arguments.wellFormed("a\ud83d", "id"), "id must be well-formed UTF-16");
    }

    @Test
    void replicaTimeouts() {
        assertEquals(Duration.ofMillis(50), Arguments.replicaTimeout(2, Duration.ofMillis(50)));
        assertEquals(Duration.ZERO, Arguments.replicaTimeout(0, Duration.ofSeconds(5)), "no replicas: the check is off");
        assertEquals(Duration.ZERO, Arguments.replicaTimeout(0, Duration.ZERO));
        assertMessage(() -> Arguments.replicaTimeout(-1, Duration.ofMillis(50)), "replicas must be >= 0, was -1");
        assertThrows(IllegalArgumentException.class, () -> Arguments.replicaTimeout(1, Duration.ZERO));
        assertThrows(NullPointerException.class, () -> Arguments.replicaTimeout(1, null));
    }

    @Test
    void blankText() {
        assertMessage(() -> Arguments.notBlank("  ", "name"), "name must not be blank");
    }

    private static void assertMessage(Runnable call, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
    }
}
