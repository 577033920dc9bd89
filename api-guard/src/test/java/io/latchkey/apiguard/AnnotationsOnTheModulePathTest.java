package io.latchkey.apiguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.testing.EmbeddedRedis;
import java.io.File;
import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The annotations module proxies a user's interfaces by reflection. Compiled here as a real named module
 * ({@code demo.app}) and run in a module layer with the published jars: an interface in an exported package works,
 * one in a package opened to {@code io.latchkey.annotations} works, and one in a closed package is refused at proxy
 * creation with a message that says what to open — the rule docs/annotations.md states.
 */
class AnnotationsOnTheModulePathTest {

    private static final Map<String, String> SOURCES = Map.of(
            "module-info.java", """
                    module demo.app {
                        requires io.latchkey.annotations;
                        exports demo.app;
                        exports demo.api;
                        opens demo.opened to io.latchkey.annotations;
                    }
                    """,
            "demo/api/Exported.java", service("demo.api", "Exported"),
            "demo/opened/Opened.java", service("demo.opened", "Opened"),
            "demo/closed/Closed.java", service("demo.closed", "Closed"),
            "demo/app/Main.java", """
                    package demo.app;

                    import io.latchkey.annotations.LatchkeyProxies;
                    import io.latchkey.core.Latchkey;

                    public final class Main {
                        public static String run(Latchkey latchkey) {
                            LatchkeyProxies proxies = LatchkeyProxies.of(latchkey);
                            String exported = proxies.proxy(demo.api.Exported.class, () -> "ran").ship();
                            String opened = proxies.proxy(demo.opened.Opened.class, () -> "ran").ship();
                            String closed;
                            try {
                                closed = proxies.proxy(demo.closed.Closed.class, () -> "ran").ship();
                            } catch (IllegalArgumentException e) {
                                closed = "refused: " + e.getMessage();
                            }
                            return exported + "|" + opened + "|" + closed;
                        }
                    }
                    """);

    private static String service(String pkg, String name) {
        return "package " + pkg + ";\n\npublic interface " + name + " {\n"
                + "    @io.latchkey.annotations.DistributedLock(name = \"" + name + "\")\n"
                + "    String ship();\n}\n";
    }

    @Test
    void proxiesWorkForExportedAndOpenedPackagesAndExplainClosedOnes(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("src");
        Path out = dir.resolve("out");
        for (Map.Entry<String, String> e : SOURCES.entrySet()) {
            Path file = src.resolve(e.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, e.getValue());
        }
        List<Path> modulePath = PublishedModules.modulePath();
        compile(src, out, modulePath);

        List<Path> paths = new ArrayList<>(modulePath);
        paths.add(0, out);
        ModuleFinder finder = ModuleFinder.of(paths.toArray(Path[]::new));
        Set<String> roots = new HashSet<>(PublishedModules.NAMES);
        roots.add("demo.app");
        Configuration cf = ModuleLayer.boot().configuration().resolve(finder, ModuleFinder.of(), roots);
        ModuleLayer layer = ModuleLayer.boot().defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());

        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(layer.findLoader("demo.app"));
        try (EmbeddedRedis redis = EmbeddedRedis.start()) {
            ClassLoader loader = layer.findLoader("demo.app");
            Class<?> latchkeyType = loader.loadClass("io.latchkey.core.Latchkey");
            AutoCloseable latchkey = (AutoCloseable) latchkeyType.getMethod("connect", String.class)
                    .invoke(null, redis.uri());
            try (latchkey) {
                String[] results = ((String) loader.loadClass("demo.app.Main").getMethod("run", latchkeyType)
                        .invoke(null, latchkey)).split("\\|", 3);
                assertEquals("ran", results[0], "a public interface in an exported package");
                assertEquals("ran", results[1], "an interface in a package opened to io.latchkey.annotations");
                assertTrue(results[2].startsWith("refused: ") && results[2].contains("io.latchkey.annotations")
                        && results[2].contains("open"), "a closed package is refused, saying what to do: "
                        + results[2]);
            }
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static void compile(Path src, Path out, List<Path> modulePath) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(List.of("-d", out.toString(), "--module-path",
                modulePath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator))));
        try (var files = Files.walk(src)) {
            files.filter(p -> p.toString().endsWith(".java")).forEach(p -> args.add(p.toString()));
        }
        int rc = javac.run(null, null, null, args.toArray(String[]::new));
        assertEquals(0, rc, "demo.app compiles against the published modules");
    }
}
