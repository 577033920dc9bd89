package io.latchkey.chaos;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Counting semaphore under the full fault mix (see docs/chaos.md). */
@Tag("chaos")
class SemaphoreChaosIT {

    @Test
    void neverMoreThanNHoldersAndNoLeakedPermits() throws Exception {
        ChaosRunner.run(new SemaphoreScenario()).assertPassed();
    }
}
