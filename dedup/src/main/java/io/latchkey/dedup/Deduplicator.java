package io.latchkey.dedup;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Remembers ids for a TTL and says whether an id is new: {@link #firstSeen(String)} is true exactly once per id
 * within its TTL, across every process sharing the Redis deployment, under any concurrency and when the client
 * re-sends a claim after a reconnect (the replay is recognised as the same claim, not as a duplicate).
 *
 * <p>Each call is one atomic script in one round trip; a batch of ids too. Ids are any non-empty strings of at
 * most 1024 characters. Thread-safe. On a Redis failure the {@link DeduplicatorOptions#failurePolicy() failure
 * policy} decides: FAIL_CLOSED (default) throws {@link io.latchkey.core.LatchkeyException} so a message consumer
 * redelivers; FAIL_OPEN answers "first seen". Either way the fallback is counted.
 */
public interface Deduplicator {

    /** The most ids accepted in one batch call (on a cluster a batch sends up to one script per hash slot). */
    int MAX_BATCH = 1_000;

    /** The deduplicator's name (also its metrics tag). */
    String name();

    /** The TTL it was created with. */
    Duration ttl();

    /** The longest an id can stay seen: the TTL, plus one bucket width for {@link DedupStrategy#WINDOWED}. */
    Duration maxEffectiveTtl();

    /** The storage strategy. */
    DedupStrategy strategy();

    /**
     * Marks {@code id} as seen and says whether it was new.
     *
     * @return true the first time within the TTL, false for a duplicate
     */
    boolean firstSeen(String id);

    /**
     * {@link #firstSeen(String)} for a batch, in one round trip; the results are in the order of {@code ids}. An id
     * repeated inside the batch is first seen at most once (at its first position). An empty list sends nothing.
     */
    List<Boolean> firstSeen(List<String> ids);

    /** Whether {@code id} is currently remembered, without marking it. */
    boolean seen(String id);

    /** Forgets {@code id}, so its next {@link #firstSeen(String)} is true. True if something was removed. */
    boolean forget(String id);

    /** Asynchronous {@link #firstSeen(String)}; failures (FAIL_CLOSED) complete it with a LatchkeyException. */
    CompletableFuture<Boolean> firstSeenAsync(String id);

    /** Asynchronous {@link #firstSeen(List)}. */
    CompletableFuture<List<Boolean>> firstSeenAsync(List<String> ids);
}
