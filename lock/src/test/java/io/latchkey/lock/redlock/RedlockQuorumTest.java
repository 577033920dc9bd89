package io.latchkey.lock.redlock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.ReleaseResult;
import io.latchkey.lock.redlock.RedlockNodeOutcome.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pure Redlock decisions, without Redis. */
class RedlockQuorumTest {

    private static final long MS = 1_000_000L;

    private static RedlockNodeOutcome acquired(int node, long token, long grantMs) {
        return RedlockNodeOutcome.of(node, Status.ACQUIRED, token, Duration.ofMillis(grantMs), 0);
    }

    private static RedlockNodeOutcome held(int node, long remainingMs) {
        return RedlockNodeOutcome.of(node, Status.HELD, 0, Duration.ofMillis(remainingMs), 0);
    }

    private static RedlockNodeOutcome status(int node, Status s) {
        return s.isFailure() ? RedlockNodeOutcome.failed(node, s, 0, "x")
                : RedlockNodeOutcome.of(node, s, 0, Duration.ZERO, 0);
    }

    @Test
    void quorumIsAStrictMajority() {
        assertEquals(1, RedlockQuorum.quorum(1));
        assertEquals(2, RedlockQuorum.quorum(2));
        assertEquals(2, RedlockQuorum.quorum(3));
        assertEquals(3, RedlockQuorum.quorum(4));
        assertEquals(3, RedlockQuorum.quorum(5));
        assertEquals(4, RedlockQuorum.quorum(7));
    }

    /** Every subset of failed nodes for N = 3 and N = 5: a valid majority exactly when a majority granted. */
    @Test
    void everySubsetOfFailedNodesDecidesByMajority() {
        for (int n : new int[] {3, 5}) {
            int q = RedlockQuorum.quorum(n);
            for (int mask = 0; mask < (1 << n); mask++) {
                List<RedlockNodeOutcome> outcomes = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    outcomes.add((mask & (1 << i)) != 0 ? status(i, Status.TIMED_OUT) : acquired(i, 100 + i, 1000));
                }
                int failed = Integer.bitCount(mask);
                long validity = RedlockQuorum.validityNanos(outcomes, q, 10 * MS, 12 * MS);
                assertEquals(n - failed >= q, validity > 0, "n=" + n + " failed mask=" + mask);
                assertEquals(n - failed, RedlockQuorum.answered(outcomes));
            }
        }
    }

    @Test
    void validityIsTheMajorityGrantMinusElapsedAndDrift() {
        List<RedlockNodeOutcome> o = List.of(acquired(0, 1, 1000), acquired(1, 2, 400), acquired(2, 3, 1000),
                status(3, Status.TIMED_OUT), held(4, 50));
        // three grants: 1000, 1000, 400 ms; the 3rd largest is what a majority holds
        assertEquals(400 * MS, RedlockQuorum.quorumGrantNanos(o, 3));
        assertEquals(1000 * MS, RedlockQuorum.quorumGrantNanos(o, 2));
        assertEquals(400 * MS - 30 * MS - 6 * MS, RedlockQuorum.validityNanos(o, 3, 30 * MS, 6 * MS));
        assertTrue(RedlockQuorum.validityNanos(o, 3, 395 * MS, 6 * MS) <= 0, "elapsed ate the validity");
        assertEquals(-1, RedlockQuorum.quorumGrantNanos(o, 4));
        assertEquals(Long.MIN_VALUE, RedlockQuorum.validityNanos(o, 4, 0, 0));
    }

    @Test
    void tokenIsTheMaximumOfTheGrantingNodesOnly() {
        List<RedlockNodeOutcome> o = List.of(acquired(0, 17, 1000), acquired(1, 42, 1000),
                RedlockNodeOutcome.of(2, Status.HELD, 99, Duration.ofMillis(5), 0), acquired(3, 5, 1000));
        assertEquals(42, RedlockQuorum.quorumToken(o));
        assertEquals(0, RedlockQuorum.quorumToken(List.of(held(0, 1))));
    }

    @Test
    void retryHintIsWhenAMajorityCouldBeFree() {
        // ours (free after our release) + holders ending in 30 and 80 ms: a majority of 5 is free after 30 ms
        List<RedlockNodeOutcome> o = List.of(acquired(0, 1, 1000), held(1, 80), held(2, 30),
                status(3, Status.UNAVAILABLE), status(4, Status.TIMED_OUT));
        assertEquals(80, RedlockQuorum.retryHintMillis(o, 3));
        assertEquals(30, RedlockQuorum.retryHintMillis(o, 2));
        // only two nodes can ever be seen free: unknown
        assertEquals(0, RedlockQuorum.retryHintMillis(List.of(held(0, 10), status(1, Status.UNAVAILABLE),
                status(2, Status.UNAVAILABLE)), 2));
    }

    @Test
    void releaseTreatsAlreadyGoneAsSuccessAndIgnoresFailedNodes() {
        assertEquals(ReleaseResult.RELEASED, RedlockQuorum.releaseResult(List.of(status(0, Status.RELEASED),
                status(1, Status.ALREADY_GONE), status(2, Status.TIMED_OUT))));
        assertEquals(ReleaseResult.ALREADY_GONE, RedlockQuorum.releaseResult(List.of(status(0, Status.ALREADY_GONE),
                status(1, Status.ALREADY_GONE), status(2, Status.UNAVAILABLE))));
        assertEquals(ReleaseResult.TAKEN_OVER, RedlockQuorum.releaseResult(List.of(status(0, Status.TAKEN_OVER),
                status(1, Status.ALREADY_GONE), status(2, Status.ALREADY_GONE))));
    }

    @Test
    void aLeaseIsCertainlyLostOnlyWhenNoMajorityCanBeOurs() {
        assertFalse(RedlockQuorum.certainlyLost(List.of(status(0, Status.ALREADY_GONE), status(1, Status.TIMED_OUT),
                status(2, Status.EXTENDED)), 2));
        assertTrue(RedlockQuorum.certainlyLost(List.of(status(0, Status.ALREADY_GONE), status(1, Status.TAKEN_OVER),
                status(2, Status.TIMED_OUT)), 2));
    }

    @Test
    void statusClassification() {
        for (Status s : Status.values()) {
            boolean failure = s == Status.TIMED_OUT || s == Status.UNAVAILABLE || s == Status.ERROR;
            assertEquals(failure, s.isFailure(), s.name());
            assertEquals(!failure && s != Status.NOT_SENT, s.isAnswer(), s.name());
        }
    }

    @Test
    void optionsCheckTheirArguments() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> RedlockOptions.builder().nodeTimeout(Duration.ZERO));
        org.junit.jupiter.api.Assertions.assertThrows(NullPointerException.class,
                () -> RedlockOptions.builder().nodeTimeout(null));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> RedlockOptions.builder().retryBackoff(Duration.ofMillis(50), Duration.ofMillis(10)));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> RedlockOptions.builder().nodeNames(List.of("a", " ")));
        RedlockOptions o = RedlockOptions.builder().nodeTimeout(Duration.ofMillis(50))
                .retryBackoff(Duration.ofMillis(5), Duration.ofMillis(50)).nodeNames(List.of("a", "b", "c")).build();
        assertEquals(Duration.ofMillis(50), o.nodeTimeout());
        assertEquals(List.of("a", "b", "c"), o.nodeNames().orElseThrow());
        assertEquals(RedlockOptions.DEFAULT_NODE_TIMEOUT, RedlockOptions.defaults().nodeTimeout());
    }
}
