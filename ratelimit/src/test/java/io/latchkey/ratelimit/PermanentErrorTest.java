package io.latchkey.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import io.latchkey.core.spi.Internals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.FailurePolicy;
import io.latchkey.core.Latchkey;
import io.latchkey.core.LatchkeyPermissionException;
import io.latchkey.core.LatchkeyScriptException;
import io.latchkey.testing.EmbeddedRedis;
import io.latchkey.testing.RedisTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * A failure policy answers for Redis not answering, never for Redis saying no: an ACL refusal or a script error
 * throws a typed exception even from a FAIL_OPEN limiter (which would otherwise silently allow everything), and
 * is counted as {@code result=error}, not as a fallback.
 */
@RedisTest
class PermanentErrorTest {

    private static final RateLimiterOptions FAIL_OPEN = RateLimiterOptions.builder()
            .failurePolicy(FailurePolicy.FAIL_OPEN).build();

    @Test
    void anAclRefusalThrowsWhateverThePolicyAndNamesTheScript(EmbeddedRedis redis, Latchkey admin) throws Exception {
        Internals.of(admin).redis().callSync(c -> c.aclSetuser("no-scripts", io.lettuce.core.AclSetuserArgs.Builder.on()
                .addPassword("pw").allKeys().allChannels().allCommands().removeCommand(io.lettuce.core.protocol.CommandType.EVALSHA)
                .removeCommand(io.lettuce.core.protocol.CommandType.EVAL)));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (Latchkey lk = Latchkey.builder().uri("redis://no-scripts:pw@127.0.0.1:" + redis.port())
                .meterRegistry(meters).build()) {
            RateLimiter limiter = RateLimiters.of(lk).limiter("acl", FAIL_OPEN,
                    RateLimit.slidingLog(10, Duration.ofMinutes(1)));
            LatchkeyPermissionException e = assertThrows(LatchkeyPermissionException.class,
                    () -> limiter.tryAcquire("user-1"));
            assertTrue(e.getMessage().contains("NOPERM") && e.getMessage().contains("ratelimit-decide.lua"), e.getMessage());
            ExecutionException async = assertThrows(ExecutionException.class,
                    () -> limiter.tryAcquireAsync("user-1", 1).get());
            assertInstanceOf(LatchkeyPermissionException.class, async.getCause());
            assertThrows(LatchkeyPermissionException.class, () -> limiter.acquire("user-1", 1, Duration.ofSeconds(1)));
            assertEquals(3, count(meters, "error"));
            assertEquals(0, count(meters, "fallback"), "no fallback decision hid the error");
        }
    }

    @Test
    void aScriptErrorThrowsWhateverThePolicy(EmbeddedRedis redis, Latchkey admin) {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (Latchkey lk = Latchkey.builder().uri(redis.uri()).meterRegistry(meters).build()) {
            RateLimiter limiter = RateLimiters.of(lk).limiter("wrongtype", FAIL_OPEN,
                    RateLimit.slidingLog(10, Duration.ofMinutes(1)));
            assertTrue(limiter.tryAcquire("user-1").allowed());
            // the log's key now holds a string: the script fails with WRONGTYPE on every call
            List<String> keys = Internals.of(admin).redis().callSync(c -> c.keys("*wrongtype*"));
            assertEquals(1, keys.size(), keys.toString());
            Internals.of(admin).redis().callSync(c -> c.set(keys.get(0), "not a sorted set"));
            LatchkeyScriptException e = assertThrows(LatchkeyScriptException.class, () -> limiter.tryAcquire("user-1"));
            assertTrue(e.getMessage().contains("ratelimit-decide.lua"), e.getMessage());
            assertEquals(1, count(meters, "error"));
            assertEquals(0, count(meters, "fallback"));
        }
    }

    private static double count(SimpleMeterRegistry meters, String result) {
        return meters.get("latchkey.ratelimit.decisions").tag("result", result).counter().count();
    }
}
