package io.latchkey.benchmarks;

import java.util.List;
import java.util.Map;

/**
 * One line of the closing ratio table: a Latchkey figure divided by a baseline's (or an absolute bound), with the
 * target from the module's issue. The table reads it once per round and reports the median with its min–max.
 *
 * @param label    what is compared
 * @param issue    issue number the target comes from (0 when informational)
 * @param latchkey case id of the Latchkey side
 * @param other    case id of the baseline/alternative, or null for an absolute bound
 * @param metric   what is compared
 * @param bound    the target value; NaN when informational
 * @param atLeast  true when measured must be &gt;= bound, false when &lt;= bound
 * @param floor    the measured physical limit the ratio can be explained by when it misses
 */
record Target(String label, int issue, String latchkey, String other, Metric metric, double bound,
              boolean atLeast, Floor floor) {

    enum Metric {
        /** items per second, Latchkey / other */
        THROUGHPUT,
        /** p99 latency, Latchkey / other */
        P99,
        /** absolute p99 of the Latchkey case, in ms */
        P99_MS
    }

    /**
     * A ceiling for the ratio computed from figures the same round measured, so a miss that the design's necessary
     * work explains is told apart from one that is ours to fix.
     */
    enum Floor {
        NONE,
        /**
         * The Redis CPU of Latchkey's scripts: on a CPU-bound machine throughput is 1 / (server + client CPU per op);
         * with a client exactly as cheap as the baseline's, the best ratio is
         * {@code (server_B + client_B) / (server_L + client_B)}.
         */
        SERVER_COST,
        /**
         * A FIFO hand-over: acquisitions of a contended lock follow one another, each one a trip from the previous
         * holder's release to Redis and from Redis (the hand-over message) to the next holder — one round trip in
         * sequence, half of what one raw {@code SET NX PX} + {@code EVALSHA} pair costs at one thread
         * ({@code lock.raw.1}). The best ratio is twice that pair's rate over the alternative's acquisitions/s.
         */
        HANDOVER,
        /**
         * As {@link #SERVER_COST}, against an alternative whose client costs more than the raw one: the Redis CPU of
         * Latchkey's scripts, with a client that costs only what two raw Lettuce round trips cost
         * ({@code lock.raw.<threads>}, the same two calls per operation):
         * {@code (server_B + client_B) / (server_L + client_raw)}.
         */
        SERVER_COST_RAW_CLIENT
    }

    static Target atLeast(String label, int issue, String latchkey, String other, double bound) {
        return new Target(label, issue, latchkey, other, Metric.THROUGHPUT, bound, true, Floor.NONE);
    }

    static Target info(String label, String latchkey, String other) {
        return new Target(label, 0, latchkey, other, Metric.THROUGHPUT, Double.NaN, true, Floor.NONE);
    }

    Target withFloor(Floor f) {
        return new Target(label, issue, latchkey, other, metric, bound, atLeast, f);
    }

    /** The measured value in one round, or NaN when a side is missing. */
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

    /**
     * The load-robust twin of a throughput ratio: the other side's CPU per item (Redis + client) over Latchkey's.
     * Where client and servers share the CPUs, throughput is 1 / CPU per item, and CPU time per item moves far less
     * with other load on the machine than wall-clock rates do. NaN for latency targets.
     */
    double cpuRatio(Map<String, Measurement> results) {
        if (metric != Metric.THROUGHPUT) {
            return Double.NaN;
        }
        Measurement l = results.get(latchkey);
        Measurement o = other == null ? null : results.get(other);
        if (l == null || o == null || !l.ok() || !o.ok()) {
            return Double.NaN;
        }
        double lCost = (l.serverCpuMicros() + l.clientCpuMicros()) / l.benchCase().itemsPerOp();
        double oCost = (o.serverCpuMicros() + o.clientCpuMicros()) / o.benchCase().itemsPerOp();
        return oCost / lCost;
    }

    /** The ceiling the floor allows in one round; NaN without a floor or a figure it needs. */
    double ceiling(Map<String, Measurement> results) {
        Measurement l = results.get(latchkey);
        Measurement o = other == null ? null : results.get(other);
        if (l == null || o == null || !l.ok() || !o.ok()) {
            return Double.NaN;
        }
        switch (floor) {
            case SERVER_COST:
                return (o.serverCpuMicros() + o.clientCpuMicros()) / (l.serverCpuMicros() + o.clientCpuMicros());
            case HANDOVER:
                Measurement pair = results.get("lock.raw.1");
                return pair == null || !pair.ok() ? Double.NaN : 2 * pair.opsPerSecond() / o.opsPerSecond();
            case SERVER_COST_RAW_CLIENT:
                Measurement raw = results.get("lock.raw." + l.benchCase().threads());
                return raw == null || !raw.ok() ? Double.NaN
                        : (o.serverCpuMicros() + o.clientCpuMicros()) / (l.serverCpuMicros() + raw.clientCpuMicros());
            default:
                return Double.NaN;
        }
    }

    /** Median, min and max of the per-round values. */
    static double[] spread(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).filter(d -> !Double.isNaN(d)).sorted().toArray();
        if (v.length == 0) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN};
        }
        return new double[] {Measurement.median(v), v[0], v[v.length - 1]};
    }

    /**
     * met: the median meets the target. floor: it misses, the ceiling of the measured floor is itself below the
     * target, and the median reaches at least 85 % of that ceiling (what is left is within run-to-run spread).
     * MISSED otherwise.
     */
    String verdict(double measured, double ceiling) {
        if (Double.isNaN(bound)) {
            return "(info)";
        }
        if (Double.isNaN(measured)) {
            return "n/a";
        }
        if (atLeast ? measured >= bound : measured <= bound) {
            return "met";
        }
        if (!Double.isNaN(ceiling) && ceiling < bound && measured >= 0.85 * ceiling) {
            return "floor";
        }
        return "MISSED";
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
