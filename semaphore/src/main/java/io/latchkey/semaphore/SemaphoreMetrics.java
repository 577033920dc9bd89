package io.latchkey.semaphore;

import io.latchkey.core.spi.Acquisitions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/** The meters of one semaphore name, tagged only with that name. */
final class SemaphoreMetrics {

    static final String ACQUIRE = "latchkey.semaphore.acquire";
    static final String AVAILABLE = "latchkey.semaphore.available";
    static final String WAITS = "latchkey.semaphore.waits";
    static final String LOST = "latchkey.semaphore.permits.lost";
    static final String UNREPLICATED = "latchkey.semaphore.unreplicated";

    /** Last observed counts, shared by every semaphore object of one name so the one gauge sees all of them. */
    static final class Observed {
        volatile double available = Double.NaN;
    }

    // A gauge is registered once per (registry, name); later semaphore objects of that name must feed the same state.
    private static final Map<MeterRegistry, Map<String, Observed>> OBSERVED = new WeakHashMap<>();

    /** Acquire outcomes: {@code latchkey.semaphore.acquire{name,result}}. */
    final Acquisitions.Outcomes acquires;
    private final Counter waits;
    private final Counter lost;
    private final Counter unreplicated;
    private final Observed observed;

    SemaphoreMetrics(MeterRegistry registry, String name) {
        this.acquires = Acquisitions.timers(registry, ACQUIRE, name, "time to acquire a permit, waiting included");
        this.waits = Counter.builder(WAITS).tag("name", name)
                .description("acquires that found no free permit and waited").register(registry);
        this.lost = Counter.builder(LOST).tag("name", name)
                .description("permits that expired before their holder released them").register(registry);
        this.unreplicated = Counter.builder(UNREPLICATED).tag("name", name)
                .description("grants that did not reach the replicas SemaphoreOptions.replicas asked for in time")
                .register(registry);
        Observed state;
        synchronized (OBSERVED) {
            state = OBSERVED.computeIfAbsent(registry, r -> new ConcurrentHashMap<>())
                    .computeIfAbsent(name, n -> new Observed());
        }
        this.observed = state;
        Gauge.builder(AVAILABLE, state, s -> s.available).tag("name", name).strongReference(true)
                .description("free permits as last reported by Redis to this client").register(registry);
    }

    void waited() {
        waits.increment();
    }

    void unreplicated() {
        unreplicated.increment();
    }

    void lost() {
        lost.increment();
    }

    void observe(long limit, long holders) {
        observed.available = Math.max(0, limit - holders);
    }
}
