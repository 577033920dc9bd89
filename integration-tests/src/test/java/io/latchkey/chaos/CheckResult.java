package io.latchkey.chaos;

import java.util.List;

/**
 * What one checker found.
 *
 * @param name       the property checked, e.g. {@code holders<=1}
 * @param violations definite violations: the history cannot be explained without breaking the property
 * @param possible   possible violations: only if some unknown-outcome operations took effect
 * @param examples   up to a few violations, described
 * @param note       a short summary of what was seen (counts), printed in the report
 * @param mustFail   a checker self-test: the run is only evidence if this check DID find violations
 */
record CheckResult(String name, int violations, int possible, List<String> examples, String note, boolean mustFail) {

    static final int MAX_EXAMPLES = 5;

    CheckResult {
        examples = List.copyOf(examples.subList(0, Math.min(MAX_EXAMPLES, examples.size())));
    }

    static CheckResult of(String name, List<String> violations, int possible, String note) {
        return new CheckResult(name, violations.size(), possible, violations, note, false);
    }

    /** This check is a self-test: it passes only if it found something. */
    CheckResult mustFind() {
        return new CheckResult(name, violations, possible, examples, note, true);
    }

    boolean passed() {
        return mustFail ? violations > 0 : violations == 0;
    }

    String describe() {
        StringBuilder b = new StringBuilder(name).append(": ");
        b.append(violations).append(mustFail ? " violations (self-test: must be > 0)" : " violations");
        if (possible > 0) {
            b.append(", ").append(possible).append(" possible");
        }
        if (note != null && !note.isEmpty()) {
            b.append(" — ").append(note);
        }
        for (String e : examples) {
            b.append("\n      e.g. ").append(e);
        }
        return b.toString();
    }
}
