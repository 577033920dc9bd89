package io.latchkey.chaos;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Redlock over five nodes under partitions (incl. asymmetric), kills, pauses and the rest (see docs/chaos.md). */
@Tag("chaos")
class RedlockChaosIT {

    @Test
    void redlockStaysExclusiveWithAMajorityUp() throws Exception {
        ChaosRunner.run(new RedlockScenario(false)).assertPassed();
    }
}
