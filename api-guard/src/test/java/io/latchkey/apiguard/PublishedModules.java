package io.latchkey.apiguard;

import java.io.File;
import java.lang.module.FindException;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/** The published Latchkey modules and their dependencies, found on this test's class path. */
final class PublishedModules {

    /** Every module Latchkey publishes; a module that loses its module-info fails the checks. */
    static final Set<String> NAMES = Set.of("io.latchkey.core", "io.latchkey.lock", "io.latchkey.ratelimit",
            "io.latchkey.dedup", "io.latchkey.semaphore", "io.latchkey.annotations", "io.latchkey.testing");

    private PublishedModules() {
    }

    /** Each class path entry that is a module (explicit or automatic); entries that are neither are left out. */
    static List<Path> modulePath() {
        List<Path> paths = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (Files.isDirectory(p) && !Files.exists(p.resolve("module-info.class"))) {
                continue; // a class folder without a module descriptor (this module's own test classes)
            }
            try {
                if (!ModuleFinder.of(p).findAll().isEmpty()) {
                    paths.add(p);
                }
            } catch (FindException | SecurityException e) {
                // not usable as a module (e.g. an invalid automatic name); the published modules must not need it
            }
        }
        return paths;
    }

    /** The published modules, by name, from the class path entries (target/classes or the jars). */
    static List<ModuleReference> find() {
        ModuleFinder finder = ModuleFinder.of(modulePath().toArray(Path[]::new));
        return finder.findAll().stream()
                .filter(m -> NAMES.contains(m.descriptor().name()))
                .sorted(Comparator.comparing(m -> m.descriptor().name()))
                .toList();
    }
}
