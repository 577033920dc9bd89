package io.latchkey.lock;

import io.latchkey.core.spi.Acquisitions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * The meters of one lock group, tagged only with the group ({@code name}) and a bounded {@code result}:
 * {@code <prefix>.acquire{name,result}} timer (waiting included), {@code <prefix>.hold{name}} timer,
 * {@code <prefix>.waits{name}}, {@code <prefix>.renew.failures{name}} and {@code <prefix>.leases.lost{name}}
 * counters. Single-instance locks use the prefix {@code latchkey.lock}.
 */
final class LockMetrics implements Acquisitions.Outcomes {

    static final String PREFIX = "latchkey.lock";

    private final Timer acquired;
    private final Timer notAcquired;
    private final Timer failed;
    private final Timer cancelled;
    private final Timer hold;
    private final Counter waits;
    private final Counter renewFailures;
    private final Counter lost;

    LockMetrics(MeterRegistry registry, String prefix, String group) {
        this.acquired = timer(registry, prefix, group, "acquired");
        this.notAcquired = timer(registry, prefix, group, "not_acquired");
        this.failed = timer(registry, prefix, group, "error");
        this.cancelled = timer(registry, prefix, group, "cancelled");
        this.hold = Timer.builder(prefix + ".hold").tag("name", group)
                .description("time from acquire to release of a lease").register(registry);
        this.waits = Counter.builder(prefix + ".waits").tag("name", group)
                .description("acquires that found the lock held and waited").register(registry);
        this.renewFailures = Counter.builder(prefix + ".renew.failures").tag("name", group)
                .description("watchdog renewals that failed or found the lease gone").register(registry);
        this.lost = Counter.builder(prefix + ".leases.lost").tag("name", group)
                .description("leases that expired or were taken over before their holder released them")
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

    private static Timer timer(MeterRegistry registry, String prefix, String group, String result) {
        return Timer.builder(prefix + ".acquire").tag("name", group).tag("result", result)
                .description("time to acquire a lock, waiting included").register(registry);
    }

    @Override
    public void acquired(long startNanos) {
        acquired.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void notAcquired(long startNanos) {
        notAcquired.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void failed(long startNanos) {
        failed.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void cancelled(long startNanos) {
        cancelled.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
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

    void lost() {
        lost.increment();
    }
}
