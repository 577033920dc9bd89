package io.latchkey.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/** Locates the {@code redis-server} binary: the override, or the one bundled in the embedded-redis jar. */
final class RedisBinary {

    static final String ENV = "LATCHKEY_REDIS_SERVER";
    static final String PROPERTY = "latchkey.redis.server";

    private static Path extracted;

    private RedisBinary() {
    }

    static synchronized String path() {
        String override = System.getProperty(PROPERTY);
        if (override == null || override.isBlank()) {
            override = System.getenv(ENV);
        }
        if (override != null && !override.isBlank()) {
            Path p = Path.of(override.trim());
            if (!Files.isExecutable(p)) {
                throw new IllegalStateException("redis-server given by $" + ENV + " / -D" + PROPERTY + " is not an executable file: " + p);
            }
            return p.toString();
        }
        if (extracted == null) {
            extracted = extract();
        }
        return extracted.toString();
    }

    private static Path extract() {
        String resource = bundledResourceName();
        try (InputStream in = RedisBinary.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Bundled redis-server '" + resource + "' not found on the classpath "
                        + "(is com.github.codemonstur:embedded-redis present?); set $" + ENV + " to a redis-server binary");
            }
            Path file = Files.createTempFile("latchkey-" + resource + "-", "");
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            if (!file.toFile().setExecutable(true, true)) {
                throw new IllegalStateException("Cannot make " + file + " executable; set $" + ENV + " to a redis-server binary");
            }
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot extract bundled redis-server '" + resource + "': " + e
                    + "; set $" + ENV + " to a redis-server binary", e);
        }
    }

    private static String bundledResourceName() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        boolean amd64 = arch.equals("amd64") || arch.equals("x86_64");
        boolean arm64 = arch.equals("aarch64") || arch.equals("arm64");
        if (os.contains("linux") && amd64) {
            return "redis-server-6.2.6-v5-linux-amd64";
        }
        if (os.contains("linux") && arm64) {
            return "redis-server-6.2.7-linux-arm64";
        }
        if (os.contains("mac") && amd64) {
            return "redis-server-6.2.6-v5-darwin-amd64";
        }
        if (os.contains("mac") && arm64) {
            return "redis-server-6.2.6-v5-darwin-arm64";
        }
        throw new IllegalStateException("No bundled redis-server for os.name=" + os + " os.arch=" + arch
                + "; install Redis and set $" + ENV + " (or -D" + PROPERTY + ") to the redis-server binary");
    }
}
