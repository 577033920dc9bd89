package io.latchkey.chaos;

import java.util.ArrayList;
import java.util.List;

/**
 * Counters guarded by a lock. The unfenced one lives in the test JVM and is incremented read-modify-write inside
 * the critical section (op {@code incr}, info {@code late} when it finished after the lease's local deadline); the
 * fenced one lives on the resource node and is written with {@code writeOnce(token)} (op {@code fenced-write}).
 */
final class CounterChecker {

    private CounterChecker() {
    }

    /**
     * The unfenced counter ends exact: its value equals the number of increments. A holder that lost its lease
     * (a late increment) may lose an update; that is reported, and only a shortfall WITHOUT late increments is a
     * violation.
     */
    static CheckResult unfenced(List<Op> ops, long finalValue) {
        long increments = ops.stream().filter(o -> o.f().equals("incr")).count();
        long late = ops.stream().filter(o -> o.f().equals("incr") && "late".equals(o.info())).count();
        List<String> violations = new ArrayList<>();
        String note;
        if (finalValue == increments) {
            note = "exact: " + finalValue + " increments" + (late > 0 ? " (" + late + " after a lost lease)" : "");
        } else if (late > 0) {
            note = "ends at " + finalValue + " after " + increments + " increments: " + late
                    + " after a lost lease (expected without fencing, not a violation)";
        } else {
            violations.add("counter " + finalValue + " != " + increments + " increments, no holder lost its lease");
            note = "inexact";
        }
        return CheckResult.of("unfenced counter exact", violations, 0, note);
    }

    /**
     * The fenced counter ends within [accepted, accepted + unknown]: every accepted write incremented the value
     * read under the lock, and an unknown-outcome write may or may not have landed. A {@code fail} is taken at its
     * word: it did not land.
     */
    static CheckResult fenced(List<Op> ops, long finalValue) {
        long accepted = ops.stream().filter(o -> o.f().equals("fenced-write") && o.ok()
                && "accepted".equals(o.info())).count();
        long rejected = ops.stream().filter(o -> o.f().equals("fenced-write") && o.ok()
                && "rejected".equals(o.info())).count();
        long unknown = ops.stream().filter(o -> o.f().equals("fenced-write") && o.outcome() == Outcome.UNKNOWN)
                .count();
        long failed = ops.stream().filter(o -> o.f().equals("fenced-write") && o.outcome() == Outcome.FAIL).count();
        List<String> violations = new ArrayList<>();
        if (finalValue < accepted) {
            violations.add("final " + finalValue + " < " + accepted + " accepted writes (lost update)");
        } else if (finalValue > accepted + unknown) {
            violations.add("final " + finalValue + " > " + accepted + " accepted + " + unknown + " unknown writes"
                    + (failed > 0 ? " (" + failed + " writes reported \"not executed\" landed)" : ""));
        }
        return CheckResult.of("fenced counter exact", violations, 0, "final " + finalValue + ", accepted "
                + accepted + ", stale writes rejected " + rejected + ", unknown " + unknown + ", failed " + failed);
    }

    /**
     * Unfenced writers: every {@code incr} is a write interval [read, write]; two from different clients must not
     * overlap. With {@code leaseAware}, overlaps involving a late writer (one that lost its lease) are expected
     * and only counted in the note; without it (the self-test), every overlap is a violation.
     */
    static CheckResult overlappingWriters(List<Op> ops, boolean leaseAware) {
        List<Op> writes = ops.stream().filter(o -> o.f().equals("incr")).sorted(
                java.util.Comparator.comparingLong(Op::invoke)).toList();
        List<String> violations = new ArrayList<>();
        int expected = 0;
        // writes are sorted by start; compare each with the later-starting ones it overlaps
        for (int i = 0; i < writes.size(); i++) {
            Op a = writes.get(i);
            for (int j = i + 1; j < writes.size() && writes.get(j).invoke() < a.complete(); j++) {
                Op b = writes.get(j);
                if (a.process() == b.process()) {
                    continue;
                }
                boolean late = "late".equals(a.info()) || "late".equals(b.info());
                if (leaseAware && late) {
                    expected++;
                } else {
                    violations.add(String.format("p%d [%.3f-%.3fs]%s overlaps p%d [%.3f-%.3fs]%s", a.process(),
                            a.invoke() / 1e9, a.complete() / 1e9, "late".equals(a.info()) ? " late" : "",
                            b.process(), b.invoke() / 1e9, b.complete() / 1e9,
                            "late".equals(b.info()) ? " late" : ""));
                }
            }
        }
        return CheckResult.of(leaseAware ? "unfenced writers (in lease) exclusive" : "unfenced writers exclusive",
                violations, 0, writes.size() + " writes" + (leaseAware ? ", " + expected
                        + " overlaps after a lost lease (expected)" : ""));
    }
}
