package io.latchkey.semaphore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.ReleaseResult;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Pure logic: option builders, value types and the drift margin (the acquire request: core's LeaseRequestTest). */
class SemaphoreOptionsTest {

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

    @Test
    void theReleaseScriptsAnswersMapToTheOneReleaseResult() {
        assertEquals(ReleaseResult.RELEASED, RedisPermit.releaseResult(1));
        assertEquals(ReleaseResult.ALREADY_GONE, RedisPermit.releaseResult(0), "not held");
        assertEquals(ReleaseResult.ALREADY_GONE, RedisPermit.releaseResult(-1), "had expired before the release");
    }

    private static void assertMessage(String parameter, Throwable e) {
        assertTrue(String.valueOf(e.getMessage()).contains(parameter),
                () -> "message should name " + parameter + ": " + e.getMessage());
    }
}
