package io.latchkey.chaos;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Single-instance lock under the full fault mix (see docs/chaos.md). */
@Tag("chaos")
class LockChaosIT {

    @Test
    void singleInstanceLockStaysExclusiveAndFenced() throws Exception {
        ChaosRunner.run(new LockScenario(false)).assertPassed();
    }
}
