package io.latchkey.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Runs the whole suite with the QUICK profile (in-process, tiny iterations) and checks that the harness works:
 * every case produced figures and both tables were printed. It asserts nothing about speed.
 */
class QuickProfileTest {

    @Test
    void everyCaseRunsAndTheTablesArePrinted() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

        List<Measurement> results = BenchmarkMain.run(Profile.QUICK, null, false, out);
        String printed = buffer.toString(StandardCharsets.UTF_8);
        System.out.println(printed);

        assertEquals(Suite.cases().size(), results.size());
        String failures = results.stream().filter(m -> !m.ok())
                .map(m -> m.benchCase().id() + ": " + m.error()).collect(Collectors.joining("\n"));
        assertTrue(failures.isEmpty(), "cases failed:\n" + failures);
        for (Measurement m : results) {
            assertTrue(m.opsPerSecond() > 0, m.benchCase().id() + " reported no operations");
            assertTrue(m.p99Micros() >= m.p50Micros(), m.benchCase().id() + " percentiles out of order");
            assertFalse(Double.isNaN(m.serverCpuMicros()), m.benchCase().id() + " has no server CPU figure");
            // every operation reaches Redis at least once: a count of zero means the commandstats probe broke
            assertTrue(m.commandsPerOp() >= 1, m.benchCase().id() + " counted " + m.commandsPerOp() + " commands/op");
        }
        assertTrue(printed.contains("## Results"), printed);
        assertTrue(printed.contains("## Latchkey against the baselines and alternatives"), printed);
        // the virtual-thread section either ran (a JDK 21+ was found) or says why not
        assertTrue(printed.contains("## Virtual threads"), printed);
        assertTrue(printed.contains("jdk.VirtualThreadPinned") || printed.contains("skipped: no JDK 21+"), printed);
        for (Target t : Suite.targets()) {
            assertTrue(printed.contains(t.label()), "ratio table lacks " + t.label());
        }
        for (Case c : Suite.cases()) {
            assertTrue(printed.contains(c.label()), "results table lacks " + c.label());
        }
    }
}
