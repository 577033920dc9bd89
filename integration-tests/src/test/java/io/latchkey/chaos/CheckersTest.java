package io.latchkey.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checkers on hand-made histories: each must accept a correct history and reject a broken one. */
class CheckersTest {

    private static final long MS = 1_000_000L;

    private static Op acquire(int p, String id, long inv, long cmp, long deadline, long token) {
        return Op.ok(p, "acquire", id, inv * MS, cmp * MS).withValue(1L).withToken(token).withDeadline(deadline * MS);
    }

    private static Op release(int p, String id, long inv, long cmp) {
        return Op.ok(p, "release", id, inv * MS, cmp * MS);
    }

    @Test
    void holdsEndAtReleaseOrDeadlineWhicheverIsFirst() {
        List<Op> ops = List.of(
                acquire(0, "a", 0, 10, 1000, 1), release(0, "a", 100, 110),
                acquire(1, "b", 105, 120, 1120, 2), // acquired while a's release was in flight: fine
                acquire(2, "c", 500, 1130, 2130, 3)); // b never released: its hold ended at its deadline 1120
        CheckResult r = HoldChecker.check("holders<=1", ops, "acquire", "release", 1);
        assertEquals(0, r.violations(), r.describe());
        assertTrue(r.passed());
    }

    @Test
    void overlappingBelievedHoldsAreAViolation() {
        List<Op> ops = List.of(
                acquire(0, "a", 0, 10, 1000, 1),
                acquire(1, "b", 400, 500, 1500, 2), release(1, "b", 600, 610),
                release(0, "a", 900, 910));
        CheckResult r = HoldChecker.check("holders<=1", ops, "acquire", "release", 1);
        assertEquals(1, r.violations(), r.describe());
        assertFalse(r.passed());
        // a semaphore of 2 allows the same history
        assertEquals(0, HoldChecker.check("holders<=2", ops, "acquire", "release", 2).violations());
    }

    @Test
    void failedAndEmptyAcquiresHoldNothing() {
        List<Op> ops = List.of(
                acquire(0, "a", 0, 10, 1000, 1),
                Op.ok(1, "acquire", null, 20 * MS, 30 * MS).withValue(0L),
                new Op(2, "acquire", null, 20 * MS, 520 * MS, Outcome.UNKNOWN, null, null, null, "timeout"));
        assertEquals(0, HoldChecker.check("h", ops, "acquire", "release", 1).violations());
    }

    @Test
    void selfTestCheckPassesOnlyIfItFoundSomething() {
        CheckResult none = CheckResult.of("x", List.of(), 0, "").mustFind();
        CheckResult some = CheckResult.of("x", List.of("boom"), 0, "").mustFind();
        assertFalse(none.passed());
        assertTrue(some.passed());
    }

    @Test
    void tokensMustIncreaseInRealTimeOrder() {
        List<Op> good = List.of(acquire(0, "a", 0, 10, 1000, 5), acquire(1, "b", 20, 30, 1000, 7),
                acquire(2, "c", 25, 40, 1000, 6)); // concurrent with b: either order is fine
        assertEquals(0, OrderChecker.check("t", good, "").violations());
        List<Op> bad = List.of(acquire(0, "a", 0, 10, 1000, 5), acquire(1, "b", 20, 30, 1000, 5));
        assertEquals(1, OrderChecker.check("t", bad, "").violations());
    }

    private static Op fencedWrite(int p, long inv, long cmp, long token, String info, Outcome outcome) {
        return new Op(p, "fenced-write", "o" + p, inv * MS, cmp * MS, outcome, null, token, null, info);
    }

    @Test
    void fencedCounterMustEndWithinAcceptedPlusUnknown() {
        List<Op> ops = List.of(fencedWrite(0, 0, 1, 1, "accepted", Outcome.OK),
                fencedWrite(1, 2, 3, 2, "accepted", Outcome.OK),
                fencedWrite(0, 4, 5, 1, "rejected", Outcome.OK),
                fencedWrite(2, 6, 500, 3, null, Outcome.UNKNOWN));
        assertEquals(0, CounterChecker.fenced(ops, 2).violations());
        assertEquals(0, CounterChecker.fenced(ops, 3).violations());
        assertEquals(1, CounterChecker.fenced(ops, 1).violations(), "a lost update");
        assertEquals(1, CounterChecker.fenced(ops, 4).violations(), "a phantom write");
    }

    private static Op incr(int p, long inv, long cmp, boolean late) {
        return Op.ok(p, "incr", "o" + p, inv * MS, cmp * MS).withInfo(late ? "late" : null);
    }

    @Test
    void unfencedCounterIsExactUnlessALeaseWasLost() {
        List<Op> inLease = List.of(incr(0, 0, 1, false), incr(1, 2, 3, false));
        assertEquals(0, CounterChecker.unfenced(inLease, 2).violations());
        assertEquals(1, CounterChecker.unfenced(inLease, 1).violations());
        List<Op> withLate = List.of(incr(0, 0, 100, true), incr(1, 2, 3, false));
        assertEquals(0, CounterChecker.unfenced(withLate, 1).violations(), "a lost lease explains it");
    }

    @Test
    void overlappingWritersAreFoundAndLateOnesExcusedOnlyWhenLeaseAware() {
        List<Op> ops = List.of(incr(0, 0, 100, true), incr(1, 50, 52, false), incr(1, 200, 201, false));
        assertEquals(0, CounterChecker.overlappingWriters(ops, true).violations());
        assertEquals(1, CounterChecker.overlappingWriters(ops, false).violations());
        List<Op> inLease = List.of(incr(0, 0, 100, false), incr(1, 50, 52, false));
        assertEquals(1, CounterChecker.overlappingWriters(inLease, true).violations());
    }

    private static Op claim(int p, String id, long at, Boolean first) {
        if (first == null) {
            return new Op(p, "claim", id, at * MS, (at + 500) * MS, Outcome.UNKNOWN, null, null, null, "timeout");
        }
        return Op.ok(p, "claim", id, at * MS, (at + 1) * MS).withValue(first ? 1L : 0L);
    }

    @Test
    void dedupAcceptsEachIdAtMostOnceAndNeverLosesOne() {
        List<Op> good = List.of(claim(0, "a", 0, true), claim(1, "a", 1, false),
                claim(0, "b", 2, null), claim(1, "b", 600, false)); // b's timed-out claim may have landed
        assertEquals(0, DedupChecker.atMostOnce(good).violations());
        List<Op> twice = List.of(claim(0, "a", 0, true), claim(1, "a", 1, true));
        assertEquals(1, DedupChecker.atMostOnce(twice).violations());
        List<Op> lost = List.of(claim(0, "a", 0, false), claim(1, "a", 1, false));
        assertEquals(1, DedupChecker.atMostOnce(lost).violations());
    }

    @Test
    void aFailIsTakenAtItsWordNotAsAMaybe() {
        // the seed-42 defect: a claim reported "not executed" had stored the id, its redelivery was a duplicate
        Op failed = new Op(0, "claim", "a", 0, MS, Outcome.FAIL, null, null, null, "LatchkeyUnavailableException");
        List<Op> lostBehindAFail = List.of(failed, claim(1, "a", 2, false));
        assertEquals(1, DedupChecker.atMostOnce(lostBehindAFail).violations(), "a fail claimed nothing");
        List<Op> failThenFirst = List.of(failed, claim(1, "a", 2, true));
        assertEquals(0, DedupChecker.atMostOnce(failThenFirst).violations());

        List<Op> writes = List.of(fencedWrite(0, 0, 1, 1, "accepted", Outcome.OK),
                fencedWrite(1, 2, 3, 2, null, Outcome.FAIL));
        assertEquals(0, CounterChecker.fenced(writes, 1).violations());
        assertEquals(1, CounterChecker.fenced(writes, 2).violations(), "a write reported not executed landed");
    }

    @Test
    void dedupWithoutFaultsIsExactlyOnce() {
        List<Op> good = List.of(claim(0, "clean-1", 0, true), claim(1, "clean-1", 1, false),
                claim(0, "clean-2", 0, null), claim(1, "clean-2", 600, false)); // excluded: timed out
        assertEquals(0, DedupChecker.exactlyOnceWithoutFaults(good).violations());
        List<Op> never = List.of(claim(0, "clean-1", 0, false), claim(1, "clean-1", 1, false));
        assertEquals(1, DedupChecker.exactlyOnceWithoutFaults(never).violations());
    }

    private static Op admitted(long inv, long cmp) {
        return Op.ok(0, "rl", "k", inv * MS, cmp * MS).withValue(1L);
    }

    @Test
    void slidingLogOracleFlagsMoreThanTheLimitInsideOneWindow() {
        List<Op> ok = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ok.add(admitted(i * 100, i * 100 + 1)); // 10 per second exactly, spread out
        }
        assertEquals(0, RateChecker.slidingWindowBound("log", ok, List.of(), 10, 1000 * MS).violations());
        List<Op> burst = new ArrayList<>(ok);
        burst.add(admitted(950, 951)); // the 11th inside [0, 1000)
        CheckResult r = RateChecker.slidingWindowBound("log", burst, List.of(), 10, 1000 * MS);
        assertTrue(r.violations() > 0, r.describe());
    }

    @Test
    void slidingLogOracleDoesNotBlameRequestsWhoseIntervalsMayFallOutsideTheWindow() {
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ops.add(admitted(i * 10, i * 10 + 1));
        }
        ops.add(admitted(500, 1500)); // a slow 11th: it may have landed after the first ones left the window
        assertEquals(0, RateChecker.slidingWindowBound("log", ops, List.of(), 10, 1000 * MS).violations());
        List<Op> unknown = List.of(new Op(1, "rl", "k", 20 * MS, 30 * MS, Outcome.UNKNOWN, 0L, null, null, "x"));
        assertTrue(RateChecker.slidingWindowBound("log", ops.subList(0, 10), unknown, 10, 1000 * MS).possible() > 0);
    }

    @Test
    void tokenBucketOracleAllowsBurstPlusRefillOnly() {
        List<Op> ok = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ok.add(admitted(0, 1)); // the burst
        }
        for (int i = 1; i <= 10; i++) {
            ok.add(admitted(i * 100, i * 100 + 1)); // then the refill rate
        }
        assertEquals(0, RateChecker.tokenBucketBound("tb", ok, List.of(), 10, 10, 1000 * MS).violations());
        List<Op> bad = new ArrayList<>(ok);
        for (int i = 0; i < 5; i++) {
            bad.add(admitted(2, 3)); // 15 in the first few milliseconds
        }
        assertTrue(RateChecker.tokenBucketBound("tb", bad, List.of(), 10, 10, 1000 * MS).violations() > 0);
    }

    @Test
    void fixedWindowOracleCountsPerAlignedWindow() {
        History h = new History();
        long windowMicros = 1_000_000;
        // find the next aligned window start on the history clock, then admit 3 inside it
        long startMicros = (Math.floorDiv(h.epochMicros(0), windowMicros) + 1) * windowMicros;
        long t0 = (startMicros - h.epochMicros(0)) * 1000;
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ops.add(Op.ok(0, "rl", "k", t0 + (100 + i) * MS, t0 + (101 + i) * MS).withValue(1L));
        }
        assertEquals(0, RateChecker.fixedWindowBound("fw", ops, List.of(), 3, windowMicros, h).violations());
        assertEquals(1, RateChecker.fixedWindowBound("fw", ops, List.of(), 2, windowMicros, h).violations());
    }

    @Test
    void historyFilesAreNamedAfterTheScenario() {
        assertEquals("lock-1-unfenced-client-pause-self-test",
                ChaosRunner.fileName("lock-1/unfenced-client-pause (self-test)"));
        assertEquals("redlock-5-mixed", ChaosRunner.fileName("redlock-5/mixed"));
    }

    @Test
    void historyLinesAreJson() {
        Op o = Op.ok(1, "acquire", "id\"x", 1, 2).withValue(1L).withToken(7L).withInfo("a\nb");
        assertEquals("{\"process\":1,\"f\":\"acquire\",\"key\":\"id\\\"x\",\"invoke\":1,\"complete\":2,"
                + "\"outcome\":\"ok\",\"value\":1,\"token\":7,\"info\":\"a\\nb\"}", o.toJson());
    }
}
