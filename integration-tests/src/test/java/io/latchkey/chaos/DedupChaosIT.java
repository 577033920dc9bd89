package io.latchkey.chaos;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Deduplication under duplicate deliveries, redeliveries and the full fault mix (see docs/chaos.md). */
@Tag("chaos")
class DedupChaosIT {

    @Test
    void idsAcceptedAtMostOnceAndNeverLost() throws Exception {
        ChaosRunner.run(new DedupScenario()).assertPassed();
    }
}
