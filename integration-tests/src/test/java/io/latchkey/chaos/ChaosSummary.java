package io.latchkey.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The summary lines of every scenario run in this JVM, also written to {@code target/chaos/summary.txt} (rewritten
 * from scratch by the first scenario of a JVM) and printed together at the end by {@link ChaosSummaryListener}.
 */
final class ChaosSummary {

    private static final List<String> LINES = new ArrayList<>();

    private ChaosSummary() {
    }

    static synchronized void add(ChaosReport report) {
        boolean first = LINES.isEmpty();
        LINES.add(report.summaryLine());
        Path file = ChaosSettings.fromSystemProperties().outputDir().resolve("summary.txt");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, report.summaryLine() + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    first ? StandardOpenOption.TRUNCATE_EXISTING : StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    static synchronized List<String> lines() {
        return List.copyOf(LINES);
    }
}
