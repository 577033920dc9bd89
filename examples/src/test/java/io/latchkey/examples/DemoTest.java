package io.latchkey.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.testing.EmbeddedRedis;
import io.latchkey.testing.EmbeddedRedisNodes;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Runs the demo's story end to end against embedded Redis, as the README's first command does. */
class DemoTest {

    private static String run(int expectedCode, String... args) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int code = Demo.run(args, new PrintStream(buffer, true, StandardCharsets.UTF_8));
        String printed = buffer.toString(StandardCharsets.UTF_8);
        System.out.println(printed);
        assertEquals(expectedCode, code, printed);
        return printed;
    }

    @Test
    void theWholeStoryRunsOnEmbeddedNodes() {
        String printed = run(0);
        for (Section s : Demo.sections()) {
            assertTrue(printed.contains(s.title()), "missing chapter " + s.title());
        }
        assertTrue(printed.contains("the ledger rejects it"), printed);
        assertTrue(printed.contains("alice #6 -> 429"), printed);
        assertTrue(printed.contains("Retry-After: 10"), printed);
        assertTrue(printed.contains("export call 5 sent"), printed);
        assertTrue(printed.contains("The card was charged once"), printed);
        assertTrue(printed.contains("never more than 3 at once"), printed);
        assertTrue(printed.contains("UNAVAILABLE"), "the Redlock chapter should show the lost node");
        assertTrue(printed.contains("still a majority"), printed);
        assertFalse(printed.contains("\u001b["), "output must be colourless");
        assertTrue(printed.contains("The end"), printed);
    }

    @Test
    void aSingleExternalRedisSkipsOnlyTheRedlockChapter() {
        try (EmbeddedRedis redis = EmbeddedRedis.start()) {
            String printed = run(0, "--redis", redis.uri());
            assertTrue(printed.contains("Using Redis at " + redis.uri()), printed);
            assertTrue(printed.contains("Skipped: a Redlock needs at least 3 independent nodes"), printed);
            assertTrue(printed.contains("The card was charged once"), printed);
            assertTrue(printed.contains("The end"), printed);
        }
    }

    @Test
    void severalExternalNodesFormTheRedlockWithoutBeingStopped() {
        try (EmbeddedRedisNodes nodes = EmbeddedRedisNodes.start(3)) {
            String printed = run(0, "--redis", String.join(",", nodes.uris()));
            assertTrue(printed.contains("Redlock over 3 independent nodes"), printed);
            assertTrue(printed.contains("not ours to stop"), printed);
            nodes.forEach(n -> assertTrue(n.isRunning(), n + " was stopped by the demo"));
        }
    }

    @Test
    void unknownArgumentsPrintUsage() {
        String printed = run(2, "--bogus");
        assertTrue(printed.contains("usage: Demo"), printed);
    }
}
