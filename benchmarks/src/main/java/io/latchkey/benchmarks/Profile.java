package io.latchkey.benchmarks;

/**
 * How long each case runs. QUICK proves the harness works (whole suite well under a minute, figures meaningless);
 * FULL is for measurement (about ten minutes on two cores).
 */
enum Profile {
    QUICK(0, 0, 0, 1, 150),
    FULL(1, 2, 1000, 3, 1500);

    final int forks;
    final int warmupIterations;
    final int warmupMillis;
    final int measurementIterations;
    final int measurementMillis;

    Profile(int forks, int warmupIterations, int warmupMillis, int measurementIterations, int measurementMillis) {
        this.forks = forks;
        this.warmupIterations = warmupIterations;
        this.warmupMillis = warmupMillis;
        this.measurementIterations = measurementIterations;
        this.measurementMillis = measurementMillis;
    }
}
