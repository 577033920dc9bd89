package io.latchkey.chaos;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** What a running scenario sees: the nodes, the history, the phase, and the client-pause fault. */
final class ChaosRun {

    /** Where the run is. */
    enum Phase { CLEAN, CHAOS, FINAL }

    final ChaosNodes nodes;
    final History history;
    final ClientPauses pauses;
    final long seed;
    final int seconds;
    private volatile Phase phase = Phase.CLEAN;
    private volatile boolean running;
    /** Scratch space for a scenario's shared state (counters, id sequences). */
    final ConcurrentHashMap<String, Object> state = new ConcurrentHashMap<>();
    final AtomicLong sequence = new AtomicLong();

    ChaosRun(ChaosNodes nodes, History history, ClientPauses pauses, long seed, int seconds) {
        this.nodes = nodes;
        this.history = history;
        this.pauses = pauses;
        this.seed = seed;
        this.seconds = seconds;
    }

    Phase phase() {
        return phase;
    }

    void phase(Phase p) {
        this.phase = p;
    }

    boolean running() {
        return running;
    }

    void running(boolean r) {
        this.running = r;
    }

    @SuppressWarnings("unchecked")
    <T> T get(String key) {
        return (T) state.get(key);
    }
}
