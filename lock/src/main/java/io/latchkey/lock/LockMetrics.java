package io.latchkey.lock;

import io.latchkey.core.spi.Acquisitions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * The meters of one lock group, tagged only with the group ({@code name}) and a bounded {@code result}:
 * {@code <prefix>.acquire{name,result}} timer (waiting included), {@code <prefix>.hold{name}} timer,
 * {@code <prefix>.waits{name}}, {@code <prefix>.renew.failures{name}}, {@code <prefix>.leases.lost{name}} and
 * {@code <prefix>.unreplicated{name}} counters. Single-instance locks use the prefix {@code latchkey.lock}.
 */
final class LockMetrics {

    static final String PREFIX = "latchkey.lock";

    /** Acquire outcomes: {@code <prefix>.acquire{name,result}}. */
    final Acquisitions.Outcomes acquires;
    private final Timer hold;
    private final Counter waits;
    private final Counter renewFailures;
    private final Counter lost;
    private final Counter unreplicated;

    LockMetrics(MeterRegistry registry, String prefix, String group) {
        this.acquires = Acquisitions.timers(registry, prefix + ".acquire", group,
                "time to acquire a lock, waiting included");
        this.hold = Timer.builder(prefix + ".hold").tag("name", group)
                .description("time from acquire to release of a lease").register(registry);
        this.waits = Counter.builder(prefix + ".waits").tag("name", group)
                .description("acquires that found the lock held and waited").register(registry);
        this.renewFailures = Counter.builder(prefix + ".renew.failures").tag("name", group)
                .description("watchdog renewals that failed or found the lease gone").register(registry);
        this.lost = Counter.builder(prefix + ".leases.lost").tag("name", group)
                .description("leases that expired or were taken over before their holder released them")
                .register(registry);
        this.unreplicated = Counter.builder(prefix + ".unreplicated").tag("name", group)
                .description("grants that did not reach the replicas LockOptions.replicas asked for in time")
                .register(registry);
    }

    /** The metrics group of a lock: the override, or the name up to its first ':'. */
    static String group(String lockName, LockOptions options) {
        if (options.metricsGroup().isPresent()) {
            return options.metricsGroup().get();
        }
        int colon = lockName.indexOf(':');
        return colon > 0 ? lockName.substring(0, colon) : lockName;
    }

    void held(long acquiredNanos) {
        hold.record(System.nanoTime() - acquiredNanos, TimeUnit.NANOSECONDS);
    }

    void waited() {
        waits.increment();
    }

    void renewFailed() {
        renewFailures.increment();
    }

    void unreplicated() {
        unreplicated.increment();
    }

    void lost() {
        lost.increment();
    }
}
