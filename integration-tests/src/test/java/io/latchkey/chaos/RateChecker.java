package io.latchkey.chaos;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.LongUnaryOperator;

/**
 * Rate-limit oracles over admitted requests. Each admitted request took effect at some unknown instant inside its
 * [invoke, complete] interval. A DEFINITE violation is a set of admitted requests whose whole intervals fit in a
 * window that allows fewer; a POSSIBLE one also counts requests of unknown outcome (a fallback decision whose
 * script may have run) and lets intervals merely touch the window.
 */
final class RateChecker {

    /** Slack for the window edges: Redis TIME and our wall-clock mapping agree to within about a millisecond. */
    static final long MARGIN_NANOS = 2_000_000L;

    private RateChecker() {
    }

    /**
     * Sliding log (and any exact "L per any window" limit): no window of length {@code windowNanos} holds more than
     * {@code limit} admissions.
     */
    static CheckResult slidingWindowBound(String name, List<Op> admitted, List<Op> unknown, long limit,
                                          long windowNanos) {
        return bound(name, admitted, unknown, span -> limit, windowNanos, "at most " + limit + " per window");
    }

    /**
     * Token bucket: in any interval of length T at most {@code capacity + ceil(rate × T)} admissions (+1 for the
     * token arriving exactly at the edge).
     */
    static CheckResult tokenBucketBound(String name, List<Op> admitted, List<Op> unknown, long capacity,
                                        long tokens, long periodNanos) {
        LongUnaryOperator allowance = span -> capacity + 1 + (long) Math.ceil((double) tokens * span / periodNanos);
        return bound(name, admitted, unknown, allowance, Long.MAX_VALUE, "capacity " + capacity + " + "
                + tokens + " per period");
    }

    /**
     * Windows of length up to {@code maxSpan} starting at an admitted request: definite violations when the requests
     * whose whole interval lies inside exceed {@code allowance(span)}.
     */
    private static CheckResult bound(String name, List<Op> admitted, List<Op> unknown, LongUnaryOperator allowance,
                                     long maxSpan, String rule) {
        List<Op> ops = new ArrayList<>(admitted);
        ops.sort(Comparator.comparingLong(Op::invoke));
        List<String> violations = new ArrayList<>();
        int peakDefinite = 0;
        for (int i = 0; i < ops.size(); i++) {
            long start = ops.get(i).invoke();
            // requests inside [start, end]: invoked at/after start, completed by end
            List<Long> completes = new ArrayList<>();
            for (int j = i; j < ops.size() && ops.get(j).invoke() - start < maxSpan; j++) {
                completes.add(ops.get(j).complete());
            }
            completes.sort(null);
            for (int k = 0; k < completes.size(); k++) {
                long span = completes.get(k) - start + MARGIN_NANOS;
                if (span >= maxSpan) {
                    break;
                }
                int count = k + 1;
                peakDefinite = Math.max(peakDefinite, count);
                if (count > allowance.applyAsLong(span)) {
                    violations.add(String.format("%d admitted within %.1f ms from t=%.3fs (allowed %d)", count,
                            span / 1e6, start / 1e9, allowance.applyAsLong(span)));
                    break;
                }
            }
            if (violations.size() >= CheckResult.MAX_EXAMPLES * 4) {
                break;
            }
        }
        int possible = possible(admitted, unknown, allowance, maxSpan);
        return CheckResult.of(name, violations, possible, admitted.size() + " admitted, " + unknown.size()
                + " unknown; " + rule + (maxSpan == Long.MAX_VALUE ? ""
                : "; peak " + peakDefinite + " definitely inside one window"));
    }

    /** Windows where admitted + unknown requests that could fall inside exceed the allowance. */
    private static int possible(List<Op> admitted, List<Op> unknown, LongUnaryOperator allowance, long maxSpan) {
        if (unknown.isEmpty() || maxSpan == Long.MAX_VALUE) {
            return 0;
        }
        List<Op> all = new ArrayList<>(admitted);
        all.addAll(unknown);
        int windows = 0;
        for (Op anchor : all) {
            long start = anchor.invoke();
            long end = start + maxSpan - MARGIN_NANOS;
            long count = all.stream().filter(o -> o.complete() >= start && o.invoke() <= end).count();
            if (count > allowance.applyAsLong(maxSpan)) {
                windows++;
            }
        }
        return windows;
    }

    /**
     * Fixed window: windows aligned to server time ({@code start = now - now mod window}); admissions whose interval
     * (mapped to wall-clock µs) lies wholly inside one window count against its limit.
     */
    static CheckResult fixedWindowBound(String name, List<Op> admitted, List<Op> unknown, long limit,
                                        long windowMicros, History history) {
        java.util.Map<Long, int[]> perWindow = new java.util.TreeMap<>();
        long margin = MARGIN_NANOS / 1000;
        for (Op o : admitted) {
            long a = history.epochMicros(o.invoke()) - margin;
            long b = history.epochMicros(o.complete()) + margin;
            if (Math.floorDiv(a, windowMicros) == Math.floorDiv(b, windowMicros)) {
                perWindow.computeIfAbsent(Math.floorDiv(a, windowMicros), k -> new int[2])[0]++;
            }
        }
        for (Op o : unknown) {
            long a = history.epochMicros(o.invoke());
            perWindow.computeIfAbsent(Math.floorDiv(a, windowMicros), k -> new int[2])[1]++;
        }
        List<String> violations = new ArrayList<>();
        int possible = 0;
        int peak = 0;
        for (java.util.Map.Entry<Long, int[]> e : perWindow.entrySet()) {
            int[] c = e.getValue();
            peak = Math.max(peak, c[0]);
            if (c[0] > limit) {
                violations.add(c[0] + " admitted in the aligned window starting at " + e.getKey() * windowMicros
                        + " µs (limit " + limit + ")");
            } else if (c[0] + c[1] > limit) {
                possible++;
            }
        }
        return CheckResult.of(name, violations, possible, admitted.size() + " admitted, " + unknown.size()
                + " unknown; peak " + peak + " per aligned window, limit " + limit);
    }
}
