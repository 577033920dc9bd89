package io.latchkey.dedup;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** {@code latchkey.dedup.claims{name,result}}: one counter per outcome, tagged with the bounded instance name. */
final class DedupMetrics {

    static final String CLAIMS = "latchkey.dedup.claims";

    final Counter fresh;
    final Counter duplicate;
    final Counter inProgress;
    final Counter mismatch;
    final Counter fallback;
    /** Claims that failed with a permanent Redis error (thrown whatever the failure policy). */
    final Counter error;

    DedupMetrics(MeterRegistry registry, String name) {
        this.fresh = counter(registry, name, "new");
        this.duplicate = counter(registry, name, "duplicate");
        this.inProgress = counter(registry, name, "in_progress");
        this.mismatch = counter(registry, name, "mismatch");
        this.fallback = counter(registry, name, "fallback");
        this.error = counter(registry, name, "error");
    }

    private static Counter counter(MeterRegistry registry, String name, String result) {
        return Counter.builder(CLAIMS)
                .description("Deduplication and idempotency claims by outcome")
                .tag("name", name)
                .tag("result", result)
                .register(registry);
    }
}
