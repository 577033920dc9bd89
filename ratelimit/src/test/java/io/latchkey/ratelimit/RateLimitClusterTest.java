package io.latchkey.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.Latchkey;
import io.latchkey.testing.EmbeddedRedisCluster;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A four-limit limiter on a 3-master Redis Cluster: every decision's keys share a slot (no CROSSSLOT). */
class RateLimitClusterTest {

    private static EmbeddedRedisCluster cluster;
    private static Latchkey latchkey;

    @BeforeAll
    static void start() {
        cluster = EmbeddedRedisCluster.start();
        latchkey = Latchkey.builder().uri(cluster.uris().get(0)).cluster(true).build();
    }

    @AfterAll
    static void stop() {
        if (latchkey != null) {
            latchkey.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void everyAlgorithmTogetherOnManySlots() {
        RateLimiter limiter = RateLimiters.of(latchkey).limiter("cluster",
                RateLimiterOptions.builder().timeout(Duration.ofSeconds(5)).build(),
                RateLimit.fixedWindow(3, Duration.ofHours(1)), RateLimit.slidingLog(5, Duration.ofHours(1)),
                RateLimit.slidingWindow(5, Duration.ofHours(1)), RateLimit.tokenBucket(5, 1, Duration.ofHours(1)));
        for (int user = 0; user < 30; user++) {
            String key = "user:" + user + ":{x}";
            for (int i = 0; i < 3; i++) {
                RateLimitDecision d = limiter.tryAcquire(key);
                assertEquals(RateLimitDecision.Outcome.ALLOWED, d.outcome(), key + " #" + i);
            }
            RateLimitDecision denied = limiter.tryAcquire(key);
            assertFalse(denied.allowed(), key);
            assertEquals(RateLimit.Algorithm.FIXED_WINDOW, denied.bindingLimit().algorithm());
            assertTrue(denied.retryAfter().compareTo(Duration.ZERO) > 0);
        }
    }
}
