package io.latchkey.benchmarks;

/**
 * How long each case runs and how often the suite repeats. QUICK proves the harness works (whole suite well under a
 * minute, figures meaningless); FULL is for measurement: every case runs {@link #rounds} times, the rounds one after
 * the other (A, B, ..., A, B, ...), so each comparison gets one ratio per round and the verdict reads their median.
 */
enum Profile {
    QUICK(0, 0, 0, 1, 150, 1, 300),
    // Six seconds of warm-up: on two shared cores the JIT needs about that long to finish compiling a client's
    // call path, and with less the measurement counts compilation (it cost Latchkey's longer path up to 1.6x CPU
    // per operation against raw Lettuce's, compared with a 6 s warm-up).
    FULL(1, 6, 1000, 3, 1000, 3, 3000);

    final int forks;
    final int warmupIterations;
    final int warmupMillis;
    final int measurementIterations;
    final int measurementMillis;
    /** Repetitions of the whole suite; each comparison's ratio is taken per round. */
    final int rounds;
    /** How long each virtual-thread case runs. */
    final int virtualThreadMillis;

    Profile(int forks, int warmupIterations, int warmupMillis, int measurementIterations, int measurementMillis,
            int rounds, int virtualThreadMillis) {
        this.forks = forks;
        this.warmupIterations = warmupIterations;
        this.warmupMillis = warmupMillis;
        this.measurementIterations = measurementIterations;
        this.measurementMillis = measurementMillis;
        this.rounds = rounds;
        this.virtualThreadMillis = virtualThreadMillis;
    }
}
