package io.latchkey.dedup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.Latchkey;
import io.latchkey.testing.EmbeddedRedis;
import io.latchkey.testing.RedisTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad input fails with an exception naming the parameter, before anything is sent to Redis. */
@RedisTest
class BadInputTest {

    private static void rejects(Class<? extends Throwable> type, String parameter, Executable call) {
        Throwable t = assertThrows(type, call);
        assertTrue(String.valueOf(t.getMessage()).contains(parameter),
                "the message names " + parameter + ": " + t.getMessage());
    }

    private static long commands(EmbeddedRedis redis) {
        String stats = (String) redis.command("INFO", "stats");
        for (String line : stats.split("\r?\n")) {
            if (line.startsWith("total_commands_processed:")) {
                return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        throw new IllegalStateException();
    }

    @Test
    void deduplicatorArguments(Latchkey latchkey, EmbeddedRedis redis) {
        Deduplicators d = Deduplicators.of(latchkey);
        rejects(NullPointerException.class, "latchkey", () -> Deduplicators.of(null));
        rejects(NullPointerException.class, "name", () -> d.deduplicator(null, Duration.ofMinutes(1)));
        rejects(IllegalArgumentException.class, "name", () -> d.deduplicator(" ", Duration.ofMinutes(1)));
        rejects(IllegalArgumentException.class, "name", () -> d.deduplicator("a{b}", Duration.ofMinutes(1)));
        rejects(NullPointerException.class, "ttl", () -> d.deduplicator("n", null));
        rejects(IllegalArgumentException.class, "ttl", () -> d.deduplicator("n", Duration.ZERO));
        rejects(IllegalArgumentException.class, "ttl", () -> d.deduplicator("n", Duration.ofMillis(-5)));
        rejects(IllegalArgumentException.class, "ttl", () -> d.deduplicator("n", Duration.ofNanos(10)));
        rejects(NullPointerException.class, "options", () -> d.deduplicator("n", Duration.ofMinutes(1), null));
        rejects(IllegalArgumentException.class, "bucketWidth", () -> d.deduplicator("n", Duration.ofMinutes(10),
                DeduplicatorOptions.builder().bucketWidth(Duration.ofSeconds(1)).build()));

        long before = commands(redis);
        for (DedupStrategy strategy : DedupStrategy.values()) {
            Deduplicator dd = d.deduplicator("n", Duration.ofMinutes(1),
                    DeduplicatorOptions.builder().strategy(strategy).build());
            rejects(NullPointerException.class, "id", () -> dd.firstSeen((String) null));
            rejects(IllegalArgumentException.class, "id", () -> dd.firstSeen(""));
            rejects(IllegalArgumentException.class, "id", () -> dd.firstSeen("x".repeat(1025)));
            rejects(NullPointerException.class, "id", () -> dd.seen(null));
            rejects(NullPointerException.class, "id", () -> dd.forget(null));
            rejects(NullPointerException.class, "id", () -> dd.firstSeenAsync((String) null));
            rejects(NullPointerException.class, "ids", () -> dd.firstSeen((List<String>) null));
            rejects(NullPointerException.class, "ids[1]", () -> dd.firstSeen(Arrays.asList("a", null)));
            rejects(IllegalArgumentException.class, "ids[2]", () -> dd.firstSeen(List.of("a", "b", "")));
            List<String> tooMany = new ArrayList<>(Collections.nCopies(Deduplicator.MAX_BATCH + 1, "same"));
            rejects(IllegalArgumentException.class, "ids", () -> dd.firstSeen(tooMany));
            rejects(IllegalArgumentException.class, "ids", () -> dd.firstSeenAsync(tooMany));
        }
        assertEquals(before + 1, commands(redis), "nothing but our own INFO reached Redis");
    }

    @Test
    void optionArguments() {
        rejects(IllegalArgumentException.class, "buckets", () -> DeduplicatorOptions.builder().buckets(0));
        rejects(IllegalArgumentException.class, "buckets", () -> DeduplicatorOptions.builder().buckets(65));
        rejects(IllegalArgumentException.class, "bucketWidth",
                () -> DeduplicatorOptions.builder().bucketWidth(Duration.ZERO));
        rejects(NullPointerException.class, "bucketWidth", () -> DeduplicatorOptions.builder().bucketWidth(null));
        rejects(NullPointerException.class, "strategy", () -> DeduplicatorOptions.builder().strategy(null));
        rejects(NullPointerException.class, "failurePolicy", () -> DeduplicatorOptions.builder().failurePolicy(null));
        rejects(IllegalArgumentException.class, "retries", () -> DeduplicatorOptions.builder().retries(-1));
        rejects(IllegalArgumentException.class, "ttl", () -> IdempotencyOptions.builder().ttl(Duration.ZERO));
        rejects(NullPointerException.class, "ttl", () -> IdempotencyOptions.builder().ttl(null));
        rejects(IllegalArgumentException.class, "lease", () -> IdempotencyOptions.builder().lease(Duration.ofMillis(5)));
        rejects(IllegalArgumentException.class, "maxWait",
                () -> IdempotencyOptions.builder().waitForResult(Duration.ofSeconds(-1)));
        rejects(NullPointerException.class, "failurePolicy", () -> IdempotencyOptions.builder().failurePolicy(null));
        rejects(NullPointerException.class, "encode", () -> ResultCodec.of(null, s -> s));
    }

    @Test
    void executorArguments(Latchkey latchkey, EmbeddedRedis redis) {
        Deduplicators d = Deduplicators.of(latchkey);
        rejects(IllegalArgumentException.class, "name", () -> d.idempotency("}", IdempotencyOptions.defaults()));
        rejects(NullPointerException.class, "options", () -> d.idempotency("n", null));
        rejects(NullPointerException.class, "codec", () -> d.idempotency("n", null, IdempotencyOptions.defaults()));
        IdempotentExecutor<String> ex = d.idempotency("n", IdempotencyOptions.defaults());
        Supplier<String> action = () -> "x";
        Supplier<CompletableFuture<String>> async = () -> CompletableFuture.completedFuture("x");
        long before = commands(redis);
        rejects(NullPointerException.class, "key", () -> ex.execute(null, action));
        rejects(IllegalArgumentException.class, "key", () -> ex.execute("", action));
        rejects(NullPointerException.class, "action", () -> ex.execute("k", null));
        rejects(NullPointerException.class, "canonicalPayload", () -> ex.execute("k", (String) null, action));
        rejects(NullPointerException.class, "canonicalPayload", () -> ex.execute("k", (byte[]) null, action));
        rejects(NullPointerException.class, "key", () -> ex.executeAsync(null, async));
        rejects(NullPointerException.class, "action", () -> ex.executeAsync("k", null));
        rejects(NullPointerException.class, "key", () -> ex.forget(null));
        assertEquals(before + 1, commands(redis), "nothing but our own INFO reached Redis");
    }
}
