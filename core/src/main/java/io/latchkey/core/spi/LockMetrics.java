package io.latchkey.core.spi;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The meters of one lock group, tagged only with the group ({@code name}) and a bounded {@code result}:
 * {@code <prefix>.acquire{name,result}} timer (waiting included), {@code <prefix>.hold{name}} timer,
 * {@code <prefix>.waits{name}}, {@code <prefix>.renew.failures{name}}, {@code <prefix>.leases.lost{name}} and
 * {@code <prefix>.unreplicated{name}} counters. Single-instance locks use the prefix {@code latchkey.lock}, Redlock {@code latchkey.lock.redlock}
 * (here in core so that both lock packages share it without making it part of the lock API).
 */
public final class LockMetrics {

    /** The prefix of single-instance locks. */
    public static final String PREFIX = "latchkey.lock";

    private final Acquisitions.Outcomes acquires;
    private final Timer hold;
    private final Counter waits;
    private final Counter renewFailures;
    private final Counter lost;
    private final Counter unreplicated;

    /**
     * @param prefix the meter name prefix, e.g. {@link #PREFIX}
     * @param group  the {@code name} tag, see {@link #group}
     */
    public LockMetrics(MeterRegistry registry, String prefix, String group) {
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
    public static String group(String lockName, Optional<String> override) {
        if (override.isPresent()) {
            return override.get();
        }
        int colon = lockName.indexOf(':');
        return colon > 0 ? lockName.substring(0, colon) : lockName;
    }

    /** Acquire outcomes: {@code <prefix>.acquire{name,result}}. */
    public Acquisitions.Outcomes acquires() {
        return acquires;
    }

    /** A lease of this group was released after {@code System.nanoTime() - acquiredNanos}. */
    public void held(long acquiredNanos) {
        hold.record(System.nanoTime() - acquiredNanos, TimeUnit.NANOSECONDS);
    }

    /** An acquire found the lock held and waited. */
    public void waited() {
        waits.increment();
    }

    /** A watchdog renewal failed or found the lease gone. */
    public void renewFailed() {
        renewFailures.increment();
    }

    /** A grant that did not reach the replicas its options asked for. */
    public void unreplicated() {
        unreplicated.increment();
    }

    /** A lease expired or was taken over before its holder released it. */
    public void lost() {
        lost.increment();
    }
}
