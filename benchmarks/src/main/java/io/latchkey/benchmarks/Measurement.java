package io.latchkey.benchmarks;

/**
 * What one {@link Case} measured; {@code error} is set (and the figures are NaN) when it could not run.
 *
 * @param opsPerSecond  operations per second, all threads together
 * @param p50Micros     median latency of one operation
 * @param p99Micros     99th percentile latency
 * @param serverCpuMicros Redis CPU (user + sys, every server) per operation
 * @param clientCpuMicros benchmark JVM CPU per operation
 */
record Measurement(Case benchCase, double opsPerSecond, double p50Micros, double p99Micros,
                   double serverCpuMicros, double clientCpuMicros, String error) {

    static Measurement failed(Case c, String error) {
        return new Measurement(c, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, error);
    }

    boolean ok() {
        return error == null;
    }

    double itemsPerSecond() {
        return opsPerSecond * benchCase.itemsPerOp();
    }
}
