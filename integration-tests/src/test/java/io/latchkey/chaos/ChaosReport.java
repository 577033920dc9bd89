package io.latchkey.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The result of one scenario: counts, faults, checks, gates; the summary line and the details. */
final class ChaosReport {

    final String name;
    final long seed;
    final int seconds;
    final long ok;
    final long fail;
    final long unknown;
    final Map<String, Integer> faultsByCategory;
    final int faults;
    final List<CheckResult> checks;
    final String finalError;
    final int minOk;
    final int minFaults;
    final List<String> schedule;
    final Duration elapsed;
    final String timing;

    ChaosReport(String name, long seed, int seconds, List<Op> ops, Map<String, Integer> faultsByCategory,
                int faults, List<CheckResult> checks, String finalError, int minOk, int minFaults,
                List<String> schedule, Duration elapsed, String timing) {
        this.name = name;
        this.seed = seed;
        this.seconds = seconds;
        Map<Outcome, Long> outcomes = ChaosRunner.outcomes(ops);
        this.ok = outcomes.get(Outcome.OK);
        this.fail = outcomes.get(Outcome.FAIL);
        this.unknown = outcomes.get(Outcome.UNKNOWN);
        this.faultsByCategory = faultsByCategory;
        this.faults = faults;
        this.checks = List.copyOf(checks);
        this.finalError = finalError;
        this.minOk = minOk;
        this.minFaults = minFaults;
        this.schedule = schedule;
        this.elapsed = elapsed;
        this.timing = timing;
    }

    /** Definite violations of the properties the library promises (self-test checks excluded). */
    int violations() {
        return checks.stream().filter(c -> !c.mustFail()).mapToInt(CheckResult::violations).sum();
    }

    /** Violations the self-test checks found (they must find some). */
    int selfTestViolations() {
        return checks.stream().filter(CheckResult::mustFail).mapToInt(CheckResult::violations).sum();
    }

    boolean selfTest() {
        return checks.stream().anyMatch(CheckResult::mustFail);
    }

    /** Why this run does not count as a pass; empty if it does. */
    List<String> problems() {
        List<String> p = new ArrayList<>();
        if (finalError != null) {
            p.add("final phase failed: " + finalError);
        }
        if (ok < minOk) {
            p.add("too few ok operations to be evidence: " + ok + " < " + minOk);
        }
        if (faults < minFaults) {
            p.add("too few faults injected to be evidence: " + faults + " < " + minFaults);
        }
        for (CheckResult c : checks) {
            if (!c.passed()) {
                p.add(c.mustFail() ? "self-test checker found NO violation: " + c.name()
                        : "violated: " + c.describe());
            }
        }
        return p;
    }

    String summaryLine() {
        String cats = faultsByCategory.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
        int possible = checks.stream().filter(c -> !c.mustFail()).mapToInt(CheckResult::possible).sum();
        StringBuilder b = new StringBuilder(String.format("%s seed=%d %ds: ops ok=%d fail=%d unknown=%d, faults=%d (%s), "
                + "violations=%d", name, seed, seconds, ok, fail, unknown, faults, cats, violations()));
        if (possible > 0) {
            b.append(" (possible ").append(possible).append(')');
        }
        if (selfTest()) {
            b.append(", self-test violations found=").append(selfTestViolations()).append(" (required > 0)");
        }
        b.append(problems().isEmpty() ? " PASS" : " FAIL");
        return b.toString();
    }

    String details() {
        StringBuilder b = new StringBuilder(summaryLine());
        b.append(String.format("%n  took %.1fs (%s)%n  schedule: %s", elapsed.toMillis() / 1000.0, timing,
                schedule));
        for (CheckResult c : checks) {
            b.append("\n  ").append(c.describe());
        }
        for (String p : problems()) {
            b.append("\n  PROBLEM: ").append(p);
        }
        return b.toString();
    }

    /** Fails the test with the details unless the run is a pass. */
    void assertPassed() {
        if (!problems().isEmpty()) {
            throw new AssertionError(details());
        }
    }
}
