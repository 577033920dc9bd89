package io.latchkey.core.spi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A Lua script loaded from a classpath resource beside the module that owns it, with its SHA-1 computed locally so
 * the first call can already be an EVALSHA. Execute it with {@link RedisExecutor#eval}.
 */
public final class LuaScript {

    private final String name;
    private final String source;
    private final String sha;

    private LuaScript(String name, String source) {
        this.name = name;
        this.source = source;
        this.sha = sha1(source);
    }

    /**
     * Loads {@code resource} relative to {@code owner}'s package, e.g.
     * {@code LuaScript.load(Locks.class, "acquire.lua")} reads {@code io/latchkey/lock/acquire.lua}.
     */
    public static LuaScript load(Class<?> owner, String resource) {
        return load(owner, new String[0], resource);
    }

    /**
     * Loads {@code resource} after {@code preludes} (read the same way and joined in order): function definitions
     * several scripts of one primitive share live once, in a prelude, instead of in a copy per script.
     */
    public static LuaScript load(Class<?> owner, String[] preludes, String resource) {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(preludes, "preludes");
        Objects.requireNonNull(resource, "resource");
        StringBuilder source = new StringBuilder();
        for (String prelude : preludes) {
            source.append(read(owner, prelude)).append('\n');
        }
        source.append(read(owner, resource));
        return new LuaScript(owner.getPackageName() + "/" + resource, source.toString());
    }

    private static String read(Class<?> owner, String resource) {
        Objects.requireNonNull(resource, "resource");
        try (InputStream in = owner.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Lua script " + resource + " not found beside " + owner.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Lua script " + resource, e);
        }
    }

    /** A script from text; for tests and tools. Modules load theirs from resources. */
    public static LuaScript of(String name, String source) {
        return new LuaScript(Objects.requireNonNull(name, "name"), Objects.requireNonNull(source, "source"));
    }

    public String name() {
        return name;
    }

    public String source() {
        return source;
    }

    /** Lower-case hex SHA-1 of the source, as Redis computes it. */
    public String sha() {
        return sha;
    }

    private static String sha1(String text) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-1");
            return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required by every JVM", e);
        }
    }

    @Override
    public String toString() {
        return "LuaScript[" + name + ", sha=" + sha + "]";
    }
}
