package io.latchkey.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.Latchkey;
import io.latchkey.core.spi.Internals;
import io.latchkey.testing.EmbeddedRedis;
import io.latchkey.testing.RedisTest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The "every key has a TTL" check: on hand-made PTTL maps, and SCAN + PTTL against a real node. */
@RedisTest
class TtlCheckerTest {

    @Test
    void keysWithATtlPassAndAKeyWithoutOneIsNamed() {
        Map<String, Map<String, Long>> byNode = new LinkedHashMap<>();
        byNode.put("node0", Map.of("chaos:{a}:lock", 900L, "chaos:{a}:fence", 2_592_000_000L));
        byNode.put("node1", Map.of());
        CheckResult ok = TtlChecker.check(byNode, List.of());
        assertTrue(ok.passed(), ok.describe());
        assertEquals("2 keys checked (node0 2, node1 0), by suffix {fence 1, lock 1}", ok.note());

        byNode.put("node1", Map.of("chaos:{b}:stuck", -1L));
        CheckResult bad = TtlChecker.check(byNode, List.of());
        assertFalse(bad.passed());
        assertEquals(1, bad.violations());
        assertEquals("node1: chaos:{b}:stuck has no TTL (PTTL -1) after the final phase", bad.examples().get(0));
    }

    @Test
    void aKeySeenWithoutTtlDuringTheChaosIsAViolationEvenIfItIsGoneOrFixedAtTheEnd() {
        Map<String, Map<String, Long>> end = Map.of("node0", Map.of("chaos:{a}:queue", 500L));
        Map<String, Map<String, Long>> during = Map.of("node0", Map.of("chaos:{a}:queue", -1L,
                "chaos:{a}:lock", 800L, "chaos:{a}:waiters", -1L));
        CheckResult r = TtlChecker.check(end, during, "3 node scans during the chaos (0 failed)", List.of());
        assertEquals(2, r.violations(), r.describe());
        assertEquals(List.of("node0: chaos:{a}:queue has no TTL (PTTL -1) during the chaos",
                "node0: chaos:{a}:waiters has no TTL (PTTL -1) during the chaos"), r.examples());
        assertEquals("3 keys checked (node0 3), by suffix {lock 1, queue 1, waiters 1}; "
                + "3 node scans during the chaos (0 failed)", r.note());
        assertTrue(TtlChecker.check(end, Map.of("node0", Map.of("chaos:{a}:lock", 800L)), "", List.of()).passed());
    }

    @Test
    void theKindOfAKeyIsItsSuffixAfterTheHashTag() {
        assertEquals("fence", TtlChecker.kind("chaos:{order:42}:fence"));
        assertEquals("w:3", TtlChecker.kind("chaos:{dd:user-1}:w:3"));
        assertEquals("plain", TtlChecker.kind("plain"));
    }

    @Test
    void aKnownBugIsCountedInTheNoteNotAsAViolation() {
        TtlChecker.KnownException known = new TtlChecker.KnownException(Pattern.compile("chaos:\\{.*\\}:stuck"),
                "issue 99: stuck keys");
        CheckResult r = TtlChecker.check(Map.of("node0", Map.of("chaos:{b}:stuck", -1L, "chaos:{c}:other", -1L)),
                List.of(known));
        assertEquals(1, r.violations(), r.describe());
        assertTrue(r.note().contains("1 without TTL by known bug: issue 99: stuck keys"), r.note());
    }

    @Test
    void scanFindsEveryKeyOfTheNamespaceAndOnlyThose(EmbeddedRedis redis) {
        try (Latchkey admin = Latchkey.builder().uri(redis.uri()).namespace("chaos").build()) {
            Internals.of(admin).redis().callSync(c -> c.set("chaos:{x}:forever", "1"));
            Internals.of(admin).redis().callSync(c -> c.psetex("chaos:{x}:leased", Duration.ofMinutes(1).toMillis(), "1"));
            Internals.of(admin).redis().callSync(c -> c.set("other:{x}:forever", "1")); // another namespace: not ours to judge
            for (int i = 0; i < 2500; i++) { // several SCAN pages
                String k = "chaos:{bulk}:" + i;
                Internals.of(admin).redis().callSync(c -> c.psetex(k, 60_000, "1"));
            }
            Map<String, Long> ttls = TtlChecker.scan(admin);
            assertEquals(2502, ttls.size());
            assertEquals(-1L, ttls.get("chaos:{x}:forever"));
            assertTrue(ttls.get("chaos:{x}:leased") > 0);
            CheckResult r = TtlChecker.check(Map.of("node0", ttls), TtlChecker.KNOWN);
            assertEquals(1, r.violations(), r.describe());
            assertTrue(r.examples().get(0).contains("chaos:{x}:forever"), r.describe());
        }
    }
}
