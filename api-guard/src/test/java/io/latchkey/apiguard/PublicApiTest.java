package io.latchkey.apiguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The API guard. {@code api/<module>.txt} holds each published module's public surface; the build fails with a diff
 * when the compiled classes say something else, so a change to the public API is a deliberate, reviewed edit of
 * those files. Regenerate them after an intended change with
 * {@code ./mvnw -B -o -pl api-guard -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
 * -Dlatchkey.api.update=true} and commit the diff. Runs in {@code verify}, on the packaged jars.
 */
class PublicApiTest {

    /** Types no public signature may mention: our internals and the libraries we keep out of the API. */
    private static final Pattern FORBIDDEN = Pattern.compile("io\\.latchkey\\.core\\.spi\\b|io\\.github\\.resilience4j"
            + "|io\\.lettuce\\.");
    /** The one deliberate exception: sharing Lettuce's resources with the application's other clients. */
    private static final String ALLOWED = "public io.latchkey.core.Latchkey$Builder clientResources("
            + "io.lettuce.core.resource.ClientResources)";

    private static final String REGENERATE = "./mvnw -B -o -pl api-guard -am verify -Dtest=none"
            + " -Dsurefire.failIfNoSpecifiedTests=false -Dlatchkey.api.update=true";

    private final Path dir = Path.of(System.getProperty("latchkey.api.dir", "../api")).toAbsolutePath().normalize();
    private final boolean update = Boolean.getBoolean("latchkey.api.update");

    private static Map<String, List<String>> dumps() {
        Map<String, List<String>> dumps = new LinkedHashMap<>();
        for (ModuleReference m : PublishedModules.find()) {
            dumps.put(m.descriptor().name(), ApiDump.of(m));
        }
        assertEquals(PublishedModules.NAMES, dumps.keySet(), "every published jar is a named io.latchkey.* module");
        return dumps;
    }

    @Test
    void publicApiMatchesTheCheckedInDump() throws IOException {
        List<String> report = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : dumps().entrySet()) {
            Path file = dir.resolve(e.getKey() + ".txt");
            String actual = String.join("\n", e.getValue()) + "\n";
            if (update) {
                Files.createDirectories(dir);
                Files.writeString(file, actual, StandardCharsets.UTF_8);
                continue;
            }
            List<String> expected = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
            if (!expected.equals(e.getValue())) {
                report.add(diff(file, expected, e.getValue()));
            }
        }
        if (!report.isEmpty()) {
            fail("the public API changed; if that is intended, regenerate the dump with\n    " + REGENERATE
                    + "\nand commit it.\n" + String.join("\n", report));
        }
    }

    @Test
    void noPublicSignatureMentionsInternalsResilience4jOrLettuce() {
        List<String> offending = new ArrayList<>();
        dumps().forEach((module, lines) -> {
            for (String line : lines) {
                String member = line.trim();
                if (member.startsWith("exports ") || member.startsWith("requires ") || member.equals(ALLOWED)) {
                    continue;
                }
                if (FORBIDDEN.matcher(member).find()) {
                    offending.add(module + ": " + member);
                }
            }
        });
        assertTrue(offending.isEmpty(), "public signatures must not use io.latchkey.core.spi, resilience4j or"
                + " Lettuce types (except Builder.clientResources):\n" + String.join("\n", offending));
    }

    @Test
    void theSpiIsExportedOnlyToLatchkeyModules() {
        for (ModuleReference m : PublishedModules.find()) {
            m.descriptor().exports().forEach(e -> {
                if (e.source().endsWith(".spi")) {
                    assertTrue(e.isQualified(), m.descriptor().name() + " exports " + e.source() + " to everyone");
                    e.targets().forEach(t -> assertTrue(t.startsWith("io.latchkey."), e.source() + " exported to " + t));
                }
            });
        }
    }

    /** A line diff: what the dump has that the classes lost ({@code -}) and what they gained ({@code +}). */
    private static String diff(Path file, List<String> expected, List<String> actual) {
        StringBuilder out = new StringBuilder("--- " + file + "\n+++ compiled classes\n");
        int[][] lcs = new int[expected.size() + 1][actual.size() + 1];
        for (int i = expected.size() - 1; i >= 0; i--) {
            for (int j = actual.size() - 1; j >= 0; j--) {
                lcs[i][j] = expected.get(i).equals(actual.get(j)) ? lcs[i + 1][j + 1] + 1
                        : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        int i = 0;
        int j = 0;
        String type = "";
        while (i < expected.size() || j < actual.size()) {
            if (i < expected.size() && j < actual.size() && expected.get(i).equals(actual.get(j))) {
                if (!expected.get(i).startsWith(" ")) {
                    type = expected.get(i);
                }
                i++;
                j++;
            } else if (j < actual.size() && (i == expected.size() || lcs[i][j + 1] >= lcs[i + 1][j])) {
                out.append(context(type, actual.get(j))).append("+ ").append(actual.get(j++)).append('\n');
                type = "";
            } else {
                out.append(context(type, expected.get(i))).append("- ").append(expected.get(i++)).append('\n');
                type = "";
            }
        }
        return out.toString();
    }

    private static String context(String type, String line) {
        return type.isEmpty() || !line.startsWith(" ") ? "" : "  (in " + type + ")\n";
    }
}
