package io.latchkey.annotations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.Latchkey;
import io.latchkey.testing.EmbeddedRedis;
import io.latchkey.testing.RedisTest;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** The annotations add no meters of their own: the primitives' meters appear, with bounded name tags. */
@RedisTest
class MetricsThroughPrimitivesTest {

    interface Billing {
        @Deduplicated(name = "billing-events", key = "{0}")
        @RateLimited(name = "billing", key = "{0}", limits = @Limit(permits = 100, window = "1m"))
        @ConcurrencyLimited(name = "billing-workers", permits = 2)
        @DistributedLock(name = "invoice:{0}")
        String bill(String customerId);
    }

    @Test
    void primitivesReportWithBoundedTags(EmbeddedRedis redis) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Latchkey latchkey = Latchkey.builder().uri(redis.uri()).meterRegistry(registry).build()) {
            Billing billing = LatchkeyProxies.of(latchkey).proxy(Billing.class, id -> "billed " + id);
            for (int i = 0; i < 5; i++) {
                assertEquals("billed customer-" + i, billing.bill("customer-" + i));
            }
            assertNotNull(registry.find("latchkey.lock.acquire").tag("name", "invoice").timer());
            assertEquals(5, registry.find("latchkey.lock.acquire").tag("name", "invoice").timers().stream()
                    .mapToLong(t -> t.count()).sum());
            assertNotNull(registry.find("latchkey.semaphore.acquire").tag("name", "billing-workers").timer());
            assertNotNull(registry.find("latchkey.ratelimit.decisions").tag("name", "billing").counter());
            assertTrue(registry.find("latchkey.dedup.claims").tag("name", "billing-events").meters().size() > 0);
            for (Meter m : registry.getMeters()) {
                for (Tag t : m.getId().getTags()) {
                    assertFalse(t.getValue().contains("customer-"), "per-user key in a tag: " + m.getId());
                }
            }
        }
    }
}
