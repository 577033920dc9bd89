package io.latchkey.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import io.latchkey.core.spi.Internals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.Latchkey;
import io.latchkey.core.LatchkeyException;
import io.latchkey.testing.AclUsers;
import io.latchkey.testing.EmbeddedRedis;
import io.latchkey.testing.RedisTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every limiter algorithm under exactly the ACL user docs/security.md prescribes ({@link AclUsers}). */
@RedisTest
class RateLimitAclTest {

    private static final String NS = "acl-app";

    @Test
    void everyAlgorithmDecidesUnderTheLeastPrivilegeUser(EmbeddedRedis redis) throws Exception {
        String uri = AclUsers.createLeastPrivilege(redis, "app", "app-pw", NS);
        try (Latchkey lk = Latchkey.builder().uri(uri).namespace(NS).build()) {
            assertThrows(LatchkeyException.class, () -> Internals.of(lk).redis().callSync(c -> c.set("outside", "x")),
                    "the restriction is in force");
            RateLimiters limiters = RateLimiters.of(lk);
            List<RateLimit> algorithms = List.of(RateLimit.fixedWindow(2, Duration.ofMinutes(1)),
                    RateLimit.slidingLog(2, Duration.ofMinutes(1)), RateLimit.slidingWindow(2, Duration.ofMinutes(1)),
                    RateLimit.tokenBucket(2, 1, Duration.ofMinutes(1)));
            for (RateLimit limit : algorithms) {
                RateLimiter limiter = limiters.limiter("api-" + limit.algorithm(), limit);
                assertTrue(limiter.tryAcquire("user:1").allowed(), limit + " first");
                assertTrue(limiter.tryAcquireAsync("user:1", 1).get().allowed(), limit + " second");
                RateLimitDecision third = limiter.tryAcquire("user:1");
                assertFalse(third.allowed(), limit + " third is denied by Redis, not by a fallback");
                assertEquals(RateLimitDecision.Outcome.DENIED, third.outcome());
                assertFalse(limiter.acquire("user:1", 1, Duration.ofMillis(50)), limit + " wait");
            }
            RateLimiter combined = limiters.limiter("api-all", algorithms.toArray(RateLimit[]::new));
            assertTrue(combined.tryAcquire("user:2", 2).allowed());
            assertEquals(RateLimitDecision.Outcome.DENIED, combined.tryAcquire("user:2").outcome());
        }
    }
}
