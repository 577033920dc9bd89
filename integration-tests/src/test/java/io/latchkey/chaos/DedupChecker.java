package io.latchkey.chaos;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Dedup histories: op {@code claim} per delivery of a message id ({@link Op#key()}), value 1 when the deduplicator
 * answered "first seen", 0 for "duplicate"; info {@code clean} for deliveries made while no fault was injected.
 */
final class DedupChecker {

    private DedupChecker() {
    }

    /**
     * Per id: answered "first seen" at most once; never "duplicate" unless some delivery could have claimed it.
     * A {@code fail} is taken at its word (definitely not executed, so it claimed nothing): only a delivery of
     * unknown outcome can explain a "duplicate" for an id nobody was told was first seen.
     */
    static CheckResult atMostOnce(List<Op> ops) {
        Map<String, int[]> perId = tally(ops);
        List<String> violations = new ArrayList<>();
        int lost = 0;
        for (Map.Entry<String, int[]> e : perId.entrySet()) {
            int[] t = e.getValue(); // {first, duplicate, unknown, fail}
            if (t[0] > 1) {
                violations.add("id " + e.getKey() + " accepted " + t[0] + " times");
            }
            if (t[0] == 0 && t[1] > 0 && t[2] == 0) {
                lost++;
                violations.add("id " + e.getKey() + " answered duplicate " + t[1]
                        + " times but never accepted, and no delivery has an unknown outcome"
                        + (t[3] > 0 ? " (" + t[3] + " reported \"not executed\", yet one of them claimed it)" : ""));
            }
        }
        long redeliveries = ops.stream().filter(o -> o.f().equals("claim") && "redelivery".equals(o.info())).count();
        long unknown = ops.stream().filter(o -> o.f().equals("claim") && o.outcome() == Outcome.UNKNOWN).count();
        long failed = ops.stream().filter(o -> o.f().equals("claim") && o.outcome() == Outcome.FAIL).count();
        return CheckResult.of("dedup at most once", violations, 0, perId.size() + " ids, "
                + ops.stream().filter(o -> o.f().equals("claim")).count() + " deliveries (each id twice), "
                + redeliveries + " redeliveries after fail/unknown, " + unknown + " unknown, " + failed + " failed, "
                + lost
                + " lost");
    }

    /** Ids delivered only while no fault was injected: each accepted exactly once, every delivery answered. */
    static CheckResult exactlyOnceWithoutFaults(List<Op> ops) {
        List<Op> clean = ops.stream().filter(o -> o.f().equals("claim") && o.key().startsWith("clean-")).toList();
        Map<String, int[]> perId = tally(clean);
        List<String> violations = new ArrayList<>();
        int slow = 0;
        for (Map.Entry<String, int[]> e : perId.entrySet()) {
            int[] t = e.getValue();
            if (t[2] > 0) {
                slow++; // a timeout on a loaded machine: at-most-once still applies, exactly-once cannot
            } else if (t[0] != 1) {
                violations.add("clean id " + e.getKey() + ": accepted " + t[0] + ", duplicate " + t[1]);
            }
        }
        return CheckResult.of("dedup exactly once without faults", violations, 0, perId.size() + " ids"
                + (slow > 0 ? " (" + slow + " excluded: a delivery timed out without an injected fault)" : ""));
    }

    private static Map<String, int[]> tally(List<Op> ops) {
        Map<String, int[]> perId = new LinkedHashMap<>();
        for (Op o : ops) {
            if (!o.f().equals("claim")) {
                continue;
            }
            int[] t = perId.computeIfAbsent(o.key(), k -> new int[4]);
            if (o.outcome() == Outcome.UNKNOWN) {
                t[2]++;
            } else if (o.outcome() == Outcome.FAIL) {
                t[3]++;
            } else if (o.value() != null && o.value() == 1) {
                t[0]++;
            } else {
                t[1]++;
            }
        }
        return perId;
    }
}
