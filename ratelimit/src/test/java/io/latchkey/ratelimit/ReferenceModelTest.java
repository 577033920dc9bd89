package io.latchkey.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The reference model on synthetic server times: algorithm semantics, exact bounds, tight retry-after. */
class ReferenceModelTest {

    static final long SEC = 1_000_000L;
    static final long T0 = 1_700_000_000L * SEC; // an aligned second, like a real TIME

    @Test
    void fixedWindowCountsPerAlignedWindowAndRetriesAtItsEnd() {
        ReferenceModel m = new ReferenceModel(RateLimit.fixedWindow(3, Duration.ofSeconds(1)));
        for (int i = 0; i < 3; i++) {
            ReferenceModel.Result r = m.decide(T0 + 400_000, 1);
            assertTrue(r.allowed());
            assertEquals(2 - i, r.perLimit()[0][0]);
        }
        ReferenceModel.Result denied = m.decide(T0 + 400_000, 1);
        assertEquals(0, denied.code());
        assertEquals(600_000, denied.perLimit()[0][1], "retry at the aligned window end");
        assertTrue(m.decide(T0 + SEC, 1).allowed(), "the next aligned window starts empty");
        assertEquals(2, m.decide(T0 + SEC, 4).code(), "4 permits never fit a limit of 3");
    }

    @Test
    void tokenBucketIsGcra() {
        // 5 tokens, 10 per second: one every 100 ms
        ReferenceModel m = new ReferenceModel(RateLimit.tokenBucket(5, 10, Duration.ofSeconds(1)));
        for (int i = 0; i < 5; i++) {
            assertTrue(m.decide(T0, 1).allowed());
        }
        ReferenceModel.Result denied = m.decide(T0, 1);
        assertEquals(0, denied.code());
        assertEquals(100_000, denied.perLimit()[0][1]);
        assertFalse(m.decide(T0 + 99_999, 1).allowed());
        ReferenceModel.Result later = m.decide(T0 + 100_000, 1);
        assertTrue(later.allowed());
        assertEquals(0, later.perLimit()[0][0]);
        ReferenceModel.Result big = m.decide(T0 + 100_000, 3);
        assertEquals(300_000, big.perLimit()[0][1], "3 tokens take 300 ms to return");
        assertEquals(2, m.decide(T0 + 10 * SEC, 6).code(), "more than the capacity is never admissible");
        assertEquals(5, m.decide(T0 + 10 * SEC, 1).perLimit()[0][0] + 1, "a long-idle bucket is full");
    }

    @Test
    void slidingLogRetriesWhenTheOldestNeededEntryLeaves() {
        ReferenceModel m = new ReferenceModel(RateLimit.slidingLog(3, Duration.ofSeconds(1)));
        assertTrue(m.decide(T0, 1).allowed());
        assertTrue(m.decide(T0 + 100_000, 1).allowed());
        assertTrue(m.decide(T0 + 200_000, 1).allowed());
        ReferenceModel.Result denied = m.decide(T0 + 500_000, 2);
        assertEquals(0, denied.code());
        assertEquals(SEC + 100_000 - 500_000, denied.perLimit()[0][1], "two entries must leave: the 2nd at +1.1 s");
        assertFalse(m.decide(T0 + SEC + 99_999, 2).allowed());
        assertTrue(m.decide(T0 + SEC + 100_000, 2).allowed());
    }

    @Test
    void slidingWindowWeighsThePreviousWindow() {
        ReferenceModel m = new ReferenceModel(RateLimit.slidingWindow(10, Duration.ofSeconds(1)));
        assertTrue(m.decide(T0 + 900_000, 10).allowed());
        // 250 ms into the next window the previous 10 weigh 7.5: 2 fit, 3 do not
        assertTrue(m.decide(T0 + SEC + 250_000, 2).allowed());
        ReferenceModel.Result denied = m.decide(T0 + SEC + 250_000, 1);
        assertEquals(0, denied.code());
        // 7.5 + 2 + 1 > 10 until the previous weight falls to 7: at 300 ms
        assertEquals(50_000, denied.perLimit()[0][1]);
        assertTrue(m.decide(T0 + SEC + 300_000, 1).allowed());
    }

    @Test
    void severalLimitsAreAllOrNothing() {
        ReferenceModel m = new ReferenceModel(RateLimit.fixedWindow(2, Duration.ofSeconds(1)),
                RateLimit.tokenBucket(10, 1, Duration.ofSeconds(1)));
        assertTrue(m.decide(T0, 1).allowed());
        assertTrue(m.decide(T0, 1).allowed());
        ReferenceModel.Result denied = m.decide(T0, 1);
        assertEquals(0, denied.code());
        assertEquals(8, denied.perLimit()[1][0], "the bucket gave nothing to a denied request");
        assertEquals(0, denied.perLimit()[1][1], "the bucket alone would admit");
        assertTrue(denied.perLimit()[0][1] > 0, "the window is binding");
    }

    static List<RateLimit> configs() {
        return List.of(
                RateLimit.fixedWindow(10, Duration.ofMillis(100)),
                RateLimit.slidingLog(10, Duration.ofMillis(100)),
                RateLimit.slidingWindow(10, Duration.ofMillis(100)),
                RateLimit.tokenBucket(10, 3, Duration.ofMillis(100)),
                RateLimit.tokenBucket(7, 1000, Duration.ofSeconds(1)),
                RateLimit.fixedWindow(1, Duration.ofMillis(7)),
                RateLimit.slidingLog(50, Duration.ofMillis(250)));
    }

    @Test
    void generatedTracesRespectTheBoundAndRetryAfterIsTight() {
        Random random = new Random(42);
        for (RateLimit l : configs()) {
            for (int trace = 0; trace < 8; trace++) {
                List<Traces.Step> steps = Traces.generate(random, 250, l.windowMicros(), Math.min(l.limit(), 4));
                ReferenceModel m = new ReferenceModel(l);
                List<Traces.Admitted> admitted = new ArrayList<>();
                long now = T0 + random.nextInt(1_000_000);
                List<long[]> history = new ArrayList<>();
                for (Traces.Step s : steps) {
                    now += s.gapMicros();
                    ReferenceModel.Result r = m.decide(now, s.permits());
                    if (r.allowed()) {
                        admitted.add(new Traces.Admitted(now, s.permits()));
                    } else if (r.code() == 0 && random.nextInt(5) == 0) {
                        checkRetryTight(l, history, now, s.permits(), r.perLimit()[0][1]);
                    }
                    history.add(new long[] {now, s.permits()});
                }
                Traces.checkBound(admitted, l);
                assertFalse(admitted.isEmpty());
            }
        }
    }

    /** Replays the history into a fresh model: admitted exactly at now + retry, and (exact algorithms) not 1 µs before. */
    private static void checkRetryTight(RateLimit l, List<long[]> history, long now, long permits, long retry) {
        assertTrue(retry > 0, l + " denied with retry 0");
        ReferenceModel at = new ReferenceModel(l);
        ReferenceModel before = new ReferenceModel(l);
        for (long[] h : history) {
            at.decide(h[0], h[1]);
            before.decide(h[0], h[1]);
        }
        assertTrue(at.decide(now + retry, permits).allowed(), l + ": not admitted at now + retryAfter " + retry);
        if (l.algorithm() != RateLimit.Algorithm.SLIDING_WINDOW || retry > 1) {
            assertFalse(before.decide(now + retry - 1, permits).allowed(), l + ": admitted before retryAfter " + retry);
        }
    }

    /**
     * The sliding window counter's error: the most admitted in any real window, adversarially (the previous window
     * full at its very end, then as much as the estimate lets through) and on random traces.
     */
    @Test
    void slidingWindowCounterErrorIsBounded() {
        long w = 100_000;
        RateLimit l = RateLimit.slidingWindow(100, Duration.ofNanos(w * 1000));
        // adversarial: 100 at the last µs of a window, then one request per µs as soon as admitted
        ReferenceModel m = new ReferenceModel(l);
        List<Traces.Admitted> admitted = new ArrayList<>();
        long start = T0 + w - 1;
        assertTrue(m.decide(start, 100).allowed());
        admitted.add(new Traces.Admitted(start, 100));
        for (long t = start + 1; t < start + w; t += 100) {
            if (m.decide(t, 1).allowed()) {
                admitted.add(new Traces.Admitted(t, 1));
            }
        }
        long worst = Traces.maxInAnyWindow(admitted, w);
        assertTrue(worst > 100 && worst < 200, "adversarial worst case " + worst + " must exceed n but stay < 2n");
        System.out.println("sliding window counter, adversarial: " + worst + " admitted in one window for n=100");

        Random random = new Random(7);
        long worstRandom = 0;
        long worstSteady = 0;
        long over = 0;
        long total = 0;
        for (int trace = 0; trace < 20; trace++) {
            ReferenceModel rm = new ReferenceModel(l);
            List<Traces.Admitted> got = new ArrayList<>();
            long first = T0 + random.nextInt((int) w);
            long now = first;
            for (int i = 0; i < 3000; i++) {
                now += (long) (-Math.log(1 - random.nextDouble()) * w / 150); // Poisson at 1.5 × the limit
                if (rm.decide(now, 1).allowed()) {
                    got.add(new Traces.Admitted(now, 1));
                }
            }
            worstRandom = Math.max(worstRandom, Traces.maxInAnyWindow(got, w));
            long steadyFrom = first + 3 * w;
            worstSteady = Math.max(worstSteady,
                    Traces.maxInAnyWindow(got.stream().filter(a -> a.at() >= steadyFrom).toList(), w));
            // admissions an exact sliding log would have refused: more than n in the window ending at them
            for (int j = 0; j < got.size(); j++) {
                long end = got.get(j).at();
                int inWindow = 0;
                for (int i = j; i >= 0 && got.get(i).at() > end - w; i--) {
                    inWindow++;
                }
                total++;
                if (inWindow > 100) {
                    over++;
                }
            }
        }
        System.out.printf("sliding window counter, Poisson at 1.5x, n=100: worst %d in one window (cold start"
                + " mid-window), %d after 3 windows; %.2f%% of admissions over an exact limit%n",
                worstRandom, worstSteady, 100.0 * over / total);
        assertTrue(worstSteady <= worstRandom && worstSteady < 150, "steady worst " + worstSteady);
        assertTrue(worstRandom < 200, "random worst case " + worstRandom);
    }
}
