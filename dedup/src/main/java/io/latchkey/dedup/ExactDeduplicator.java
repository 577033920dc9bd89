package io.latchkey.dedup;

import io.latchkey.core.Latchkey;
import io.latchkey.core.spi.Internals;
import io.latchkey.core.spi.LuaScript;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.SlotHash;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@link DedupStrategy#EXACT}: one string key per id, {@code <ns>:{<name>:<id>}:x = claimId}, set with NX and PX
 * in a script that also recognises our own earlier claim. A batch is one script on a standalone server; on a
 * Redis Cluster it is one script per hash slot, all sent before waiting for any reply (pipelined: one round trip).
 */
final class ExactDeduplicator extends AbstractDeduplicator {

    private static final LuaScript EXACT = LuaScript.load(Deduplicators.class, "dedup-exact.lua");

    ExactDeduplicator(Latchkey latchkey, String name, Duration ttl, long ttlMillis, DeduplicatorOptions options) {
        super(latchkey, name, ttl, ttlMillis, options);
    }

    String key(String id) {
        return Internals.of(latchkey).keys().key(name, id, "x");
    }

    @Override
    public Duration maxEffectiveTtl() {
        return Duration.ofMillis(ttlMillis);
    }

    @Override
    public DedupStrategy strategy() {
        return DedupStrategy.EXACT;
    }

    @Override
    CompletableFuture<List<Boolean>> claim(List<String> ids, String claimId) {
        String ttlArg = Long.toString(ttlMillis);
        if (ids.size() == 1 || !latchkey.isCluster()) {
            // standalone: a script may touch keys of any slot, so the whole batch is one script
            String[] keys = ids.stream().map(this::key).toArray(String[]::new);
            return this.<List<Object>>evalClaim(EXACT, keys, claimId, ttlArg)
                    .thenApply(AbstractDeduplicator::toBooleans);
        }
        Map<Integer, List<Integer>> bySlot = new LinkedHashMap<>();
        String[] keys = new String[ids.size()];
        for (int i = 0; i < ids.size(); i++) {
            keys[i] = key(ids.get(i));
            bySlot.computeIfAbsent(SlotHash.getSlot(keys[i]), s -> new ArrayList<>()).add(i);
        }
        Boolean[] results = new Boolean[ids.size()];
        List<CompletableFuture<Void>> calls = new ArrayList<>(bySlot.size());
        for (List<Integer> positions : bySlot.values()) {
            String[] slotKeys = new String[positions.size()];
            for (int j = 0; j < slotKeys.length; j++) {
                slotKeys[j] = keys[positions.get(j)];
            }
            calls.add(this.<List<Object>>evalClaim(EXACT, slotKeys, claimId, ttlArg)
                    .thenAccept(replies -> {
                        for (int j = 0; j < replies.size(); j++) {
                            results[positions.get(j)] = ((Long) replies.get(j)) == 1L;
                        }
                    }));
        }
        return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
                .thenApply(v -> Arrays.asList(results));
    }

    @Override
    CompletableFuture<Boolean> isSeen(String id) {
        String key = key(id);
        return Internals.of(latchkey).redis().<Long>call(c -> c.exists(key)).thenApply(n -> n > 0);
    }

    @Override
    CompletableFuture<Boolean> remove(String id) {
        String key = key(id);
        return Internals.of(latchkey).redis().<Long>call(c -> c.del(key)).thenApply(n -> n > 0);
    }
}
