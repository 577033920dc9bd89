package io.latchkey.chaos;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Checker self-tests: runs that break a guarantee's precondition on purpose, so the checkers MUST report
 * violations. A suite whose checkers cannot fail proves nothing.
 */
@Tag("chaos")
class SelfTestChaosIT {

    /** A holder paused past its lease overlaps the next holder on an unfenced resource; fencing rejects it. */
    @Test
    void unfencedResourceSeesOverlappingWritersUnderClientPause() throws Exception {
        ChaosRunner.run(new LockScenario(true)).assertPassed();
    }

    /** Redlock nodes restarted without persistence before the max lease passed: two holders at once. */
    @Test
    void redlockWithImmediateRestartWithoutPersistenceHasTwoHolders() throws Exception {
        ChaosRunner.run(new RedlockScenario(true)).assertPassed();
    }
}
