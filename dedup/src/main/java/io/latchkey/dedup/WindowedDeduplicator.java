package io.latchkey.dedup;

import io.latchkey.core.Latchkey;
import io.latchkey.core.spi.Internals;
import io.latchkey.core.spi.LuaScript;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@link DedupStrategy#WINDOWED}: a fixed ring of {@code k + 1} bucket hashes covering {@code k} bucket widths of
 * TTL. The ring is passed in KEYS (never built from TIME inside the script) and every bucket records its epoch,
 * so a slot holding an epoch that left the window is ignored by checks and recreated by the next claim.
 */
final class WindowedDeduplicator extends AbstractDeduplicator {

    private static final LuaScript WINDOWED = LuaScript.load(Deduplicators.class, "dedup-windowed.lua");
    private static final LuaScript FORGET = LuaScript.load(Deduplicators.class, "dedup-windowed-forget.lua");

    private final long widthMillis;
    private final String[] ring;

    WindowedDeduplicator(Latchkey latchkey, String name, Duration ttl, long ttlMillis, DeduplicatorOptions options) {
        super(latchkey, name, ttl, ttlMillis, options);
        long width;
        if (options.bucketWidth() != null) {
            width = options.bucketWidth().toMillis();
        } else {
            width = (ttlMillis + options.buckets() - 1) / options.buckets();
        }
        long covering = (ttlMillis + width - 1) / width;
        if (covering > DeduplicatorOptions.MAX_BUCKETS) {
            throw new IllegalArgumentException("bucketWidth " + Duration.ofMillis(width) + " splits ttl " + ttl
                    + " into " + covering + " buckets; at most " + DeduplicatorOptions.MAX_BUCKETS + " are allowed");
        }
        this.widthMillis = width;
        this.ring = new String[(int) covering + 1];
        for (int i = 0; i < ring.length; i++) {
            // the width is part of the key, so deduplicators of one name with different layouts never share buckets
            ring[i] = Internals.of(latchkey).keys().key(name, "w" + width + ":" + i);
        }
    }

    /** The bucket width. */
    Duration bucketWidth() {
        return Duration.ofMillis(widthMillis);
    }

    /** The ring's keys; for tests. */
    List<String> ringKeys() {
        return List.of(ring);
    }

    @Override
    public Duration maxEffectiveTtl() {
        return Duration.ofMillis(widthMillis * (ring.length - 1) + widthMillis);
    }

    @Override
    public DedupStrategy strategy() {
        return DedupStrategy.WINDOWED;
    }

    @Override
    CompletableFuture<List<Boolean>> claim(List<String> ids, String claimId) {
        return run("claim", claimId, ids);
    }

    @Override
    CompletableFuture<Boolean> isSeen(String id) {
        return run("seen", "", List.of(id)).thenApply(r -> r.get(0));
    }

    @Override
    CompletableFuture<Boolean> remove(String id) {
        return Internals.of(latchkey).redis().<Long>eval(FORGET, ScriptOutputType.INTEGER, ring, id).thenApply(n -> n > 0);
    }

    private CompletableFuture<List<Boolean>> run(String mode, String claimId, List<String> ids) {
        String[] args = new String[3 + ids.size()];
        args[0] = Long.toString(widthMillis);
        args[1] = claimId;
        args[2] = mode;
        for (int i = 0; i < ids.size(); i++) {
            args[3 + i] = ids.get(i);
        }
        CompletableFuture<List<Object>> reply = mode.equals("claim") ? evalClaim(WINDOWED, ring, args)
                : Internals.of(latchkey).redis().eval(WINDOWED, ScriptOutputType.MULTI, ring, args);
        return reply.thenApply(AbstractDeduplicator::toBooleans);
    }
}
