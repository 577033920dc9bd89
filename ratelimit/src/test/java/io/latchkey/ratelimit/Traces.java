package io.latchkey.ratelimit;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Generated request traces and the oracles that check admitted requests against each algorithm's bound. */
final class Traces {

    /** One request: wait {@code gapMicros} after the previous one, then ask for {@code permits}. */
    record Step(long gapMicros, long permits) {
    }

    /** An admitted request at server time {@code at} (µs). */
    record Admitted(long at, long permits) {
    }

    private Traces() {
    }

    /**
     * Bursts (many back-to-back requests), weights up to {@code maxPermits}, quiet gaps, and gaps that land just
     * before/after multiples of {@code windowMicros} (adversarial for fixed and sliding windows).
     */
    static List<Step> generate(Random random, int length, long windowMicros, long maxPermits) {
        List<Step> steps = new ArrayList<>(length);
        while (steps.size() < length) {
            int kind = random.nextInt(10);
            if (kind < 4) {
                int burst = 1 + random.nextInt(12);
                for (int i = 0; i < burst && steps.size() < length; i++) {
                    steps.add(new Step(0, 1 + (random.nextInt(4) == 0 ? random.nextInt((int) maxPermits) : 0)));
                }
            } else if (kind < 7) {
                steps.add(new Step(random.nextInt((int) Math.max(1, windowMicros / 8)), 1 + random.nextInt((int) maxPermits)));
            } else if (kind < 9) {
                // near a window length away: before or after the boundary by a few µs..ms
                long jitter = random.nextInt((int) Math.max(1, windowMicros / 50)) - windowMicros / 100;
                steps.add(new Step(Math.max(0, windowMicros + jitter), 1));
            } else {
                steps.add(new Step(windowMicros * (1 + random.nextInt(3)) / 2, 1 + random.nextInt((int) maxPermits)));
            }
        }
        return steps;
    }

    /** Fixed window: never more than {@code limit} permits in one aligned window. */
    static void checkFixedWindow(List<Admitted> admitted, RateLimit l) {
        long w = l.windowMicros();
        java.util.Map<Long, Long> perWindow = new java.util.HashMap<>();
        for (Admitted a : admitted) {
            long total = perWindow.merge(Math.floorDiv(a.at(), w), a.permits(), Long::sum);
            if (total > l.limit()) {
                throw new AssertionError(l + ": " + total + " permits in the aligned window of " + a);
            }
        }
    }

    /** The most permits admitted in any window of length {@code w} (right-closed, as a sliding log counts). */
    static long maxInAnyWindow(List<Admitted> admitted, long w) {
        long max = 0;
        for (int j = 0; j < admitted.size(); j++) {
            long end = admitted.get(j).at();
            long sum = 0;
            for (int i = j; i >= 0 && admitted.get(i).at() > end - w; i--) {
                sum += admitted.get(i).permits();
            }
            // later requests at the same µs belong to the same window
            for (int i = j + 1; i < admitted.size() && admitted.get(i).at() == end; i++) {
                sum += admitted.get(i).permits();
            }
            max = Math.max(max, sum);
        }
        return max;
    }

    /** Sliding log: never more than {@code limit} in ANY window. */
    static void checkSlidingLog(List<Admitted> admitted, RateLimit l) {
        long max = maxInAnyWindow(admitted, l.windowMicros());
        if (max > l.limit()) {
            throw new AssertionError(l + ": " + max + " permits in one sliding window");
        }
    }

    /** Token bucket: never more than capacity + rate × t in any interval of length t. */
    static void checkTokenBucket(List<Admitted> admitted, RateLimit l) {
        double rate = l.refillTokens() / (double) l.windowMicros();
        for (int i = 0; i < admitted.size(); i++) {
            long sum = 0;
            for (int j = i; j < admitted.size(); j++) {
                sum += admitted.get(j).permits();
                double bound = l.limit() + rate * (admitted.get(j).at() - admitted.get(i).at());
                if (sum > bound + 1e-6) {
                    throw new AssertionError(l + ": " + sum + " permits in [" + admitted.get(i).at() + ", "
                            + admitted.get(j).at() + "], bound " + bound);
                }
            }
        }
    }

    /** Applies the exact oracle of {@code l}'s algorithm (the sliding window counter has none). */
    static void checkBound(List<Admitted> admitted, RateLimit l) {
        switch (l.algorithm()) {
            case FIXED_WINDOW -> checkFixedWindow(admitted, l);
            case SLIDING_LOG -> checkSlidingLog(admitted, l);
            case TOKEN_BUCKET -> checkTokenBucket(admitted, l);
            case SLIDING_WINDOW -> { }
            default -> throw new AssertionError();
        }
    }
}
