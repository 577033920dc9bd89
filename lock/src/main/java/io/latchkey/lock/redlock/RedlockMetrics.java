package io.latchkey.lock.redlock;

import io.latchkey.core.spi.LockMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Redlock meters of one lock group, on the first node's registry. Besides the lock meters under
 * {@code latchkey.lock.redlock} ({@link LockMetrics}): {@code latchkey.lock.redlock.quorum{name,result=achieved|failed}}
 * (acquire rounds), {@code latchkey.lock.redlock.node.failures{name,node,operation,status}} and
 * {@code latchkey.lock.redlock.validity{name}} (validity left at acquisition). Tags are bounded: group × nodes.
 */
final class RedlockMetrics {

    static final String PREFIX = LockMetrics.PREFIX + ".redlock";

    final LockMetrics lock;
    private final MeterRegistry registry;
    private final String group;
    private final List<String> nodeNames;
    private final Counter quorumAchieved;
    private final Counter quorumFailed;
    private final Timer validity;

    RedlockMetrics(MeterRegistry registry, String group, List<String> nodeNames) {
        this.registry = registry;
        this.group = group;
        this.nodeNames = nodeNames;
        this.lock = new LockMetrics(registry, PREFIX, group);
        this.quorumAchieved = quorum("achieved");
        this.quorumFailed = quorum("failed");
        this.validity = Timer.builder(PREFIX + ".validity").tag("name", group)
                .description("lease validity left when a Redlock acquisition returned").register(registry);
    }

    private Counter quorum(String result) {
        return Counter.builder(PREFIX + ".quorum").tag("name", group).tag("result", result)
                .description("Redlock acquire attempts that reached (or missed) a valid majority").register(registry);
    }

    void quorumAchieved(long validityNanos) {
        quorumAchieved.increment();
        validity.record(validityNanos, TimeUnit.NANOSECONDS);
    }

    void quorumFailed() {
        quorumFailed.increment();
    }

    /** Counts every failed node of a round. */
    void round(RedlockRound round) {
        for (RedlockNodeOutcome o : round.nodes()) {
            if (o.status().isFailure()) {
                Counter.builder(PREFIX + ".node.failures").tag("name", group).tag("node", nodeNames.get(o.node()))
                        .tag("operation", round.operation().name().toLowerCase(Locale.ROOT))
                        .tag("status", o.status().name().toLowerCase(Locale.ROOT))
                        .description("Redlock node requests without an answer (timeout, unavailable, error)")
                        .register(registry).increment();
            }
        }
    }
}
