package io.latchkey.chaos;

import java.time.Duration;
import java.util.List;
import java.util.Random;

/**
 * One chaos scenario: the cluster it needs, what each client does in a loop, which faults the nemesis may draw,
 * what must hold in the final phase, and the checkers run over the history. {@link ChaosRunner} drives it.
 */
abstract class Scenario {

    private final String name;

    Scenario(String name) {
        this.name = name;
    }

    /** E.g. {@code lock-1/mixed}; also names the history file. */
    final String name() {
        return name;
    }

    abstract int nodes();

    /** Client processes (each with its own proxies and connections); keep it small (2-4). */
    int clients() {
        return 3;
    }

    /** Whether node {@code n} runs with AOF ({@code appendfsync always}). */
    boolean aof(int n) {
        return false;
    }

    /** Whether to start an extra node the nemesis never touches (fenced resources). */
    boolean resourceNode() {
        return false;
    }

    /** The nodes node faults may hit. */
    abstract int[] faultNodes();

    /** The kinds the nemesis deals, each once per shuffled round (repeat an entry to weight it). */
    abstract List<Nemesis.Kind> faults();

    /** The longest lease any operation takes: the final phase waits past it. */
    abstract Duration maxLease();

    Duration commandTimeout() {
        return Duration.ofMillis(500);
    }

    /** Seconds of chaos for this scenario given the configured {@code chaos.seconds}. */
    int seconds(int configured) {
        return configured;
    }

    /** A fault-free warm-up before the nemesis starts (e.g. dedup's "exactly once without faults"). */
    Duration cleanPhase() {
        return Duration.ZERO;
    }

    /** Builds the primitives (one per client), after the nodes started. */
    abstract void setUp(ChaosRun run);

    /** One operation (or one critical section) of client {@code client}; records its ops in the history. */
    abstract void step(ChaosRun run, int client, Random random) throws Exception;

    /**
     * After everything healed and workers stopped: wait past the max lease, then check that operations succeed
     * again (record them too). Throws AssertionError if they do not.
     */
    abstract void finalPhase(ChaosRun run) throws Exception;

    /** The checkers over the complete history. */
    abstract List<CheckResult> check(ChaosRun run, List<Op> ops);

    /** Minimum ok operations for the run to count as evidence. */
    int minOk(int seconds) {
        return 5 * seconds;
    }

    /** Minimum injected faults for the run to count as evidence. */
    int minFaults(int seconds) {
        return Math.max(2, seconds / 5);
    }
}
