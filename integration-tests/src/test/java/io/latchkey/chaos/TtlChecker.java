package io.latchkey.chaos;

import io.latchkey.core.Latchkey;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * DESIGN §3.4, "TTL on every key": once a scenario healed and ran its final phase, every key of the namespace, on
 * every node, must expire some day. A key whose PTTL is -1 stays forever: a violation, named in the report.
 * A node restarted without persistence simply has fewer keys. SCAN and PTTL are plain commands through a node's
 * unproxied admin client; on Redis Cluster each master would be scanned the same way.
 */
final class TtlChecker {

    static final String NAME = "every key has a TTL";

    /** SCAN page size; PTTLs of one page are pipelined. */
    private static final int PAGE = 1000;

    /**
     * A key pattern known to be left without expiry by a bug not fixed yet: counted and named in the note, not as a
     * violation. Each entry names its bug; remove it with the fix.
     */
    record KnownException(Pattern key, String bug) {
    }

    /** None: every key the modules create carries a TTL (fencing counters 30 days, a semaphore's meta its data's). */
    static final List<KnownException> KNOWN = List.of();

    private TtlChecker() {
    }

    /**
     * Every key of {@code admin}'s namespace on its node, with its PTTL in ms (-1: no expiry; a key that expired
     * between SCAN and PTTL, -2, is left out). Throws a LatchkeyException if the node does not answer.
     */
    static Map<String, Long> scan(Latchkey admin) {
        String match = admin.namespace() + ":*";
        Map<String, Long> ttls = new LinkedHashMap<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            ScanCursor from = cursor;
            KeyScanCursor<String> page = admin.redis().callSync(
                    c -> c.scan(from, ScanArgs.Builder.matches(match).limit(PAGE)));
            List<String> keys = page.getKeys();
            List<CompletableFuture<Long>> pttls = new ArrayList<>(keys.size());
            for (String k : keys) {
                pttls.add(admin.redis().call(c -> c.pttl(k)));
            }
            for (int i = 0; i < keys.size(); i++) {
                long pttl = admin.redis().await(pttls.get(i));
                if (pttl != -2) {
                    ttls.put(keys.get(i), pttl); // SCAN may return a key twice; the map keeps it once
                }
            }
            cursor = page;
        } while (!cursor.isFinished());
        return ttls;
    }

    /** The check over the scanned keys of every node (node label → key → PTTL ms). */
    static CheckResult check(Map<String, Map<String, Long>> byNode, List<KnownException> known) {
        List<String> violations = new ArrayList<>();
        Map<String, Integer> knownHits = new LinkedHashMap<>();
        int checked = 0;
        StringBuilder perNode = new StringBuilder();
        for (Map.Entry<String, Map<String, Long>> node : byNode.entrySet()) {
            checked += node.getValue().size();
            perNode.append(perNode.length() == 0 ? "" : ", ").append(node.getKey()).append(' ')
                    .append(node.getValue().size());
            for (Map.Entry<String, Long> key : node.getValue().entrySet()) {
                if (key.getValue() != -1) {
                    continue;
                }
                KnownException k = known.stream().filter(e -> e.key().matcher(key.getKey()).matches()).findFirst()
                        .orElse(null);
                if (k != null) {
                    knownHits.merge(k.bug(), 1, Integer::sum);
                } else {
                    violations.add(node.getKey() + ": " + key.getKey() + " has no TTL (PTTL -1)");
                }
            }
        }
        StringBuilder note = new StringBuilder().append(checked).append(" keys checked");
        if (perNode.length() > 0) {
            note.append(" (").append(perNode).append(')');
        }
        knownHits.forEach((bug, n) -> note.append("; ").append(n).append(" without TTL by known bug: ").append(bug));
        return CheckResult.of(NAME, violations, 0, note.toString());
    }
}
