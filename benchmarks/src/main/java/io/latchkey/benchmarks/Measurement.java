package io.latchkey.benchmarks;

import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * What one {@link Case} measured; {@code error} is set (and the figures are NaN) when it could not run.
 *
 * @param opsPerSecond    operations per second, all threads together
 * @param p50Micros       median latency of one operation
 * @param p99Micros       99th percentile latency
 * @param serverCpuMicros Redis CPU (user + sys, every server) per operation
 * @param clientCpuMicros benchmark JVM CPU per operation
 * @param commandsPerOp   Redis commands executed per operation ({@code INFO commandstats} calls, including the
 *                        commands a script runs): a count, independent of machine load
 * @param bytesPerOp      bytes the benchmark JVM allocated per operation (all its threads): independent of load
 */
record Measurement(Case benchCase, double opsPerSecond, double p50Micros, double p99Micros,
                   double serverCpuMicros, double clientCpuMicros, double commandsPerOp, double bytesPerOp,
                   String error) {

    static Measurement failed(Case c, String error) {
        return new Measurement(c, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, error);
    }

    /** Field by field median of the rounds of one case (a failed round fails the case). */
    static Measurement median(List<Measurement> rounds) {
        Case c = rounds.get(0).benchCase();
        for (Measurement m : rounds) {
            if (!m.ok()) {
                return failed(c, m.error());
            }
        }
        return new Measurement(c, median(rounds, Measurement::opsPerSecond), median(rounds, Measurement::p50Micros),
                median(rounds, Measurement::p99Micros), median(rounds, Measurement::serverCpuMicros),
                median(rounds, Measurement::clientCpuMicros), median(rounds, Measurement::commandsPerOp),
                median(rounds, Measurement::bytesPerOp), null);
    }

    static double median(List<Measurement> rounds, ToDoubleFunction<Measurement> field) {
        return median(rounds.stream().mapToDouble(field).toArray());
    }

    static double median(double[] values) {
        double[] v = Arrays.stream(values).filter(d -> !Double.isNaN(d)).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    boolean ok() {
        return error == null;
    }

    double itemsPerSecond() {
        return opsPerSecond * benchCase.itemsPerOp();
    }
}
