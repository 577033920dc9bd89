package io.latchkey.dedup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.Latchkey;
import io.latchkey.testing.RedisTest;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Ids, keys and names that UTF-8 would merge are refused before any Redis call; huge waits never overflow. */
@RedisTest
class InputRulesTest {

    private static final String HIGH = "user\ud800";
    private static final String LOW = "user\udfff";

    private static void refused(String parameter, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(parameter + " must be well-formed UTF-16"), e.getMessage());
    }

    @Test
    void idsWithUnpairedSurrogatesAreRefused(Latchkey latchkey) {
        for (DedupStrategy strategy : DedupStrategy.values()) {
            Deduplicator d = Deduplicators.of(latchkey).deduplicator("events", Duration.ofMinutes(1),
                    DeduplicatorOptions.builder().strategy(strategy).build());
            // both would be stored as "user?": the second message would be dropped as a duplicate of the first
            refused("id", () -> d.firstSeen(HIGH));
            refused("id", () -> d.firstSeen(LOW));
            refused("id", () -> d.seen(HIGH));
            refused("id", () -> d.forget(LOW));
            refused("id", () -> d.firstSeenAsync(HIGH));
            refused("ids[1]", () -> d.firstSeen(List.of("ok", LOW)));
            refused("ids[0]", () -> d.firstSeenAsync(Arrays.asList(HIGH)));
            assertTrue(d.firstSeen("user?"));
            assertTrue(d.firstSeen("user\ud83d\ude00"), "a surrogate pair is an ordinary id");
        }
        refused("name", () -> Deduplicators.of(latchkey).deduplicator("events\udfff", Duration.ofMinutes(1)));
    }

    @Test
    void idempotencyKeysAndPayloadsWithUnpairedSurrogatesAreRefused(Latchkey latchkey) {
        IdempotentExecutor<String> exec = Deduplicators.of(latchkey).idempotency("payments",
                IdempotencyOptions.defaults());
        // both keys would be one record: one caller would get the other's stored result
        refused("key", () -> exec.execute(HIGH, () -> "a"));
        refused("key", () -> exec.execute(LOW, () -> "b"));
        refused("key", () -> exec.executeAsync(HIGH, () -> null));
        refused("key", () -> exec.forget(LOW));
        refused("canonicalPayload", () -> exec.execute("k", "amount\ud800", () -> "c"));
        refused("canonicalPayload", () -> exec.executeAsync("k", "amount\udfff", () -> null));
        refused("name", () -> Deduplicators.of(latchkey).idempotency("pay\ud800", IdempotencyOptions.defaults()));
        assertEquals("a", exec.execute("user?", () -> "a"));
    }

    @Test
    void hugeWaitsAreClamped(Latchkey latchkey) {
        IdempotencyOptions forever = IdempotencyOptions.builder().waitForResult(Duration.ofMillis(Long.MAX_VALUE))
                .build();
        assertEquals("v", Deduplicators.of(latchkey).idempotency("forever", forever).execute("k", () -> "v"));
        assertThrows(IllegalArgumentException.class,
                () -> IdempotencyOptions.builder().ttl(Duration.ofSeconds(Long.MAX_VALUE)));
        assertThrows(IllegalArgumentException.class,
                () -> IdempotencyOptions.builder().lease(Duration.ofMillis(Long.MAX_VALUE)));
    }
}
