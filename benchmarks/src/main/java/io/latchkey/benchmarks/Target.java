package io.latchkey.benchmarks;

import java.util.Map;

/**
 * One line of the closing ratio table: a Latchkey figure divided by a baseline's (or an absolute bound), with the
 * target from the module's issue.
 *
 * @param label    what is compared
 * @param issue    issue number the target comes from (0 when informational)
 * @param latchkey case id of the Latchkey side
 * @param other    case id of the baseline/alternative, or null for an absolute bound
 * @param metric   what is compared
 * @param bound    the target value; NaN when informational
 * @param atLeast  true when measured must be &gt;= bound, false when &lt;= bound
 */
record Target(String label, int issue, String latchkey, String other, Metric metric, double bound,
              boolean atLeast) {

    enum Metric {
        /** items per second, Latchkey / other */
        THROUGHPUT,
        /** p99 latency, Latchkey / other */
        P99,
        /** absolute p99 of the Latchkey case, in ms */
        P99_MS
    }

    static Target atLeast(String label, int issue, String latchkey, String other, double bound) {
        return new Target(label, issue, latchkey, other, Metric.THROUGHPUT, bound, true);
    }

    static Target info(String label, String latchkey, String other) {
        return new Target(label, 0, latchkey, other, Metric.THROUGHPUT, Double.NaN, true);
    }

    /** The measured value, or NaN when a side is missing. */
    double measured(Map<String, Measurement> results) {
        Measurement l = results.get(latchkey);
        if (l == null || !l.ok()) {
            return Double.NaN;
        }
        if (metric == Metric.P99_MS) {
            return l.p99Micros() / 1000.0;
        }
        Measurement o = results.get(other);
        if (o == null || !o.ok()) {
            return Double.NaN;
        }
        return metric == Metric.P99 ? l.p99Micros() / o.p99Micros() : l.itemsPerSecond() / o.itemsPerSecond();
    }

    String verdict(double measured) {
        if (Double.isNaN(bound)) {
            return "(info)";
        }
        if (Double.isNaN(measured)) {
            return "n/a";
        }
        return (atLeast ? measured >= bound : measured <= bound) ? "met" : "MISSED";
    }

    String boundText() {
        if (Double.isNaN(bound)) {
            return "-";
        }
        String unit = metric == Metric.P99_MS ? " ms" : "x";
        return (atLeast ? ">= " : "<= ") + Report.num(bound) + unit;
    }

    String measuredText(double measured) {
        if (Double.isNaN(measured)) {
            return "n/a";
        }
        return Report.num(measured) + (metric == Metric.P99_MS ? " ms" : "x");
    }
}
