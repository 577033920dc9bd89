package io.latchkey.chaos;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Rate limiters (sliding log, fixed window, token bucket) under the full fault mix (see docs/chaos.md). */
@Tag("chaos")
class RateLimitChaosIT {

    @Test
    void admittedRequestsStayWithinEachAlgorithmsBound() throws Exception {
        ChaosRunner.run(new RateLimitScenario()).assertPassed();
    }
}
