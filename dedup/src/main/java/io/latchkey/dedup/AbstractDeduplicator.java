package io.latchkey.dedup;

import io.latchkey.core.spi.Failures;
import io.latchkey.core.FailurePolicy;
import io.latchkey.core.Latchkey;
import io.latchkey.core.LatchkeyException;
import io.latchkey.core.spi.Ids;
import io.latchkey.core.spi.Internals;
import io.latchkey.core.spi.Keys;
import io.latchkey.core.spi.LuaScript;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** Input checks, failure policy and metrics shared by both strategies; subclasses only talk to Redis. */
abstract class AbstractDeduplicator implements Deduplicator {

    final Latchkey latchkey;
    final String name;
    final Duration ttl;
    final long ttlMillis;
    final FailurePolicy policy;
    final DedupMetrics metrics;
    /** Whether claims are re-sent by core when their reply is lost ({@code retries(0)} turns it off). */
    private final boolean resend;

    AbstractDeduplicator(Latchkey latchkey, String name, Duration ttl, long ttlMillis, DeduplicatorOptions options) {
        this.latchkey = latchkey;
        this.name = name;
        this.ttl = ttl;
        this.ttlMillis = ttlMillis;
        this.policy = options.failurePolicy();
        this.metrics = new DedupMetrics(latchkey.meterRegistry(), name);
        this.resend = options.retries() > 0;
    }

    /**
     * Runs a claim script. Core re-sends it with the same claim id when the connection drops before its reply (for
     * up to one command timeout): the script recognises its own claim and answers <em>first seen</em> again, so a
     * consumer does not redeliver and then find its own claim reported as a duplicate.
     */
    <T> CompletableFuture<T> evalClaim(LuaScript script, String[] keys, String... args) {
        return resend ? Internals.of(latchkey).redis().evalIdempotent(script, ScriptOutputType.MULTI, keys, args)
                : Internals.of(latchkey).redis().eval(script, ScriptOutputType.MULTI, keys, args);
    }

    /** Claims {@code ids} (already validated, non-empty) for {@code claimId}; one 0/1 per id, in order. */
    abstract CompletableFuture<List<Boolean>> claim(List<String> ids, String claimId);

    abstract CompletableFuture<Boolean> isSeen(String id);

    abstract CompletableFuture<Boolean> remove(String id);

    /** Short random claim id: it only has to differ between concurrent claims of one id (66 bits). */
    static String newClaimId() {
        return Ids.newId().substring(0, 11);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Duration ttl() {
        return ttl;
    }

    @Override
    public boolean firstSeen(String id) {
        return firstSeen(List.of(Keys.validateKey(id, "id"))).get(0);
    }

    @Override
    public List<Boolean> firstSeen(List<String> ids) {
        List<String> checked = validate(ids);
        if (checked.isEmpty()) {
            return List.of();
        }
        try {
            String claimId = newClaimId();
            return count(Internals.of(latchkey).redis().await(claim(checked, claimId)));
        } catch (LatchkeyException e) {
            return fallback(checked.size(), e);
        }
    }

    @Override
    public CompletableFuture<Boolean> firstSeenAsync(String id) {
        Keys.validateKey(id, "id");
        return firstSeenAsync(List.of(id)).thenApply(r -> r.get(0));
    }

    @Override
    public CompletableFuture<List<Boolean>> firstSeenAsync(List<String> ids) {
        List<String> checked = validate(ids);
        if (checked.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        String claimId = newClaimId();
        return claim(checked, claimId).handle((r, failure) -> failure == null
                ? count(r) : fallback(checked.size(), Failures.translate(failure)));
    }

    @Override
    public boolean seen(String id) {
        Keys.validateKey(id, "id");
        return Internals.of(latchkey).redis().await(isSeen(id));
    }

    @Override
    public boolean forget(String id) {
        Keys.validateKey(id, "id");
        return Internals.of(latchkey).redis().await(remove(id));
    }

    private List<Boolean> count(List<Boolean> results) {
        for (Boolean r : results) {
            (r ? metrics.fresh : metrics.duplicate).increment();
        }
        return results;
    }

    private List<Boolean> fallback(int size, LatchkeyException e) {
        if (!Failures.isTransient(e)) {
            // Redis answered with an error (NOPERM, a script error...): no policy may hide that
            metrics.error.increment(size);
            throw e;
        }
        metrics.fallback.increment(size);
        if (policy == FailurePolicy.FAIL_OPEN) {
            return Collections.nCopies(size, Boolean.TRUE);
        }
        throw e;
    }

    private static List<String> validate(List<String> ids) {
        Objects.requireNonNull(ids, "ids");
        if (ids.size() > MAX_BATCH) {
            throw new IllegalArgumentException("ids must hold at most " + MAX_BATCH + " ids, was " + ids.size());
        }
        List<String> copy = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            copy.add(Keys.validateKey(ids.get(i), "ids[" + i + "]"));
        }
        return copy;
    }

    static List<Boolean> toBooleans(List<Object> replies) {
        List<Boolean> out = new ArrayList<>(replies.size());
        for (Object o : replies) {
            out.add(((Long) o) == 1L);
        }
        return out;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + name + ", ttl=" + ttl + ", " + policy + "]";
    }
}
