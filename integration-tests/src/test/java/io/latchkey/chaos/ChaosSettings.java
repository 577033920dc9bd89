package io.latchkey.chaos;

import java.nio.file.Path;

/**
 * The knobs of a chaos run, from system properties (Failsafe passes them through from Maven):
 * {@code -Dchaos.seed=N} replays a schedule, {@code -Dchaos.seconds=S} sets the chaos phase of each scenario.
 */
record ChaosSettings(long seed, int seconds, Path outputDir) {

    /** The seed when none is given: runs are reproducible by default, and CI sees the same schedules every time. */
    static final long DEFAULT_SEED = 42;
    static final int DEFAULT_SECONDS = 20;

    static ChaosSettings fromSystemProperties() {
        return new ChaosSettings(
                parse("chaos.seed", DEFAULT_SEED),
                (int) Math.max(1, parse("chaos.seconds", DEFAULT_SECONDS)),
                Path.of(System.getProperty("chaos.dir", "target/chaos")));
    }

    private static long parse(String property, long fallback) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank() || v.startsWith("${")) {
            return fallback;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(property + " must be an integer, was '" + v + "'", e);
        }
    }

    /** Each scenario's own seed, derived from the printed run seed and its name (stable across runs and JVMs). */
    long seedFor(String scenario) {
        long h = 1125899906842597L;
        for (int i = 0; i < scenario.length(); i++) {
            h = 31 * h + scenario.charAt(i);
        }
        return seed ^ h;
    }
}
