package io.latchkey.dedup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import io.latchkey.core.spi.Internals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.FailurePolicy;
import io.latchkey.core.Latchkey;
import io.latchkey.core.LatchkeyPermissionException;
import io.latchkey.testing.EmbeddedRedis;
import io.latchkey.testing.RedisTest;
import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.protocol.CommandType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A failure policy answers for Redis not answering, never for Redis saying no: with an ACL user that may not run
 * scripts, a FAIL_OPEN deduplicator must not answer "first seen" for every id (each message would then be
 * processed again and again), nor an idempotent executor run the action without its claim. Both throw a typed
 * exception naming the script, counted as {@code result=error}.
 */
@RedisTest
class PermanentErrorTest {

    private String uri;

    @BeforeEach
    void user(EmbeddedRedis redis, Latchkey admin) {
        Internals.of(admin).redis().callSync(c -> c.aclSetuser("no-scripts", AclSetuserArgs.Builder.on().addPassword("pw")
                .allKeys().allChannels().allCommands().removeCommand(CommandType.EVALSHA)
                .removeCommand(CommandType.EVAL)));
        uri = "redis://no-scripts:pw@127.0.0.1:" + redis.port();
    }

    @ParameterizedTest
    @EnumSource(DedupStrategy.class)
    void aFailOpenDeduplicatorThrowsOnAnAclRefusal(DedupStrategy strategy) {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (Latchkey lk = Latchkey.builder().uri(uri).meterRegistry(meters).build()) {
            Deduplicator d = Deduplicators.of(lk).deduplicator("acl-" + strategy, Duration.ofMinutes(5),
                    DeduplicatorOptions.builder().strategy(strategy).failurePolicy(FailurePolicy.FAIL_OPEN).build());
            LatchkeyPermissionException e = assertThrows(LatchkeyPermissionException.class, () -> d.firstSeen("m-1"));
            assertTrue(e.getMessage().contains("NOPERM") && e.getMessage().contains(".lua"), e.getMessage());
            assertThrows(LatchkeyPermissionException.class, () -> d.firstSeen(List.of("m-2", "m-3")));
            ExecutionException async = assertThrows(ExecutionException.class, () -> d.firstSeenAsync("m-4").get());
            assertInstanceOf(LatchkeyPermissionException.class, async.getCause());
            assertEquals(4, count(meters, "error"), "one per id");
            assertEquals(0, count(meters, "fallback"), "no \"first seen\" fallback hid the error");
        }
    }

    @Test
    void aFailOpenIdempotentExecutorDoesNotRunTheActionOnAnAclRefusal() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (Latchkey lk = Latchkey.builder().uri(uri).meterRegistry(meters).build()) {
            IdempotentExecutor<String> idem = Deduplicators.of(lk).idempotency("acl-idem",
                    IdempotencyOptions.builder().failurePolicy(FailurePolicy.FAIL_OPEN).build());
            AtomicBoolean ran = new AtomicBoolean();
            LatchkeyPermissionException e = assertThrows(LatchkeyPermissionException.class,
                    () -> idem.execute("k-1", () -> {
                        ran.set(true);
                        return "done";
                    }));
            assertTrue(e.getMessage().contains("idempotency-claim.lua"), e.getMessage());
            assertFalse(ran.get(), "the action did not run without its claim");
            assertEquals(1, count(meters, "error"));
            assertEquals(0, count(meters, "fallback"));
        }
    }

    private static double count(SimpleMeterRegistry meters, String result) {
        return meters.get(DedupMetrics.CLAIMS).tag("result", result).counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }
}
