package io.latchkey.lock;

import io.latchkey.core.Latchkey;
import io.latchkey.core.spi.Arguments;
import io.latchkey.core.spi.Internals;
import io.latchkey.core.spi.Keys;
import io.latchkey.core.spi.LuaScript;
import io.lettuce.core.KeyValue;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Fenced values: {@code <ns>:{name:key}:fenced} hashes {value, token}, written by one script. */
final class RedisFencedResource implements FencedResource {

    static final LuaScript WRITE = LuaScript.load(Locks.class, "fenced-write.lua");

    /** Tokens must stay exact as Lua numbers (doubles). */
    static final long MAX_TOKEN = 1L << 53;

    private final Latchkey latchkey;
    private final String name;

    RedisFencedResource(Latchkey latchkey, String name) {
        this.latchkey = latchkey;
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean write(String key, String value, long fencingToken, Duration ttl) {
        return write(key, value, fencingToken, ttl, false);
    }

    @Override
    public boolean writeOnce(String key, String value, long fencingToken, Duration ttl) {
        return write(key, value, fencingToken, ttl, true);
    }

    private boolean write(String key, String value, long token, Duration ttl, boolean strict) {
        Keys.validateKey(key, "key");
        Objects.requireNonNull(value, "value");
        if (token < 0 || token > MAX_TOKEN) {
            throw new IllegalArgumentException("fencingToken must be between 0 and 2^53, was " + token);
        }
        long ttlMs = Arguments.toMillis(ttl, "ttl");
        List<Object> reply = Internals.of(latchkey).redis().evalSync(WRITE, ScriptOutputType.MULTI,
                new String[] {dataKey(key)}, Long.toString(token), value, Long.toString(ttlMs), strict ? "1" : "0");
        return ((Number) reply.get(0)).longValue() == 1L;
    }

    @Override
    public Optional<FencedValue> read(String key) {
        Keys.validateKey(key, "key");
        String k = dataKey(key);
        List<KeyValue<String, String>> fields = Internals.of(latchkey).redis().callSync(c -> c.hmget(k, "value", "token"));
        if (fields.size() < 2 || !fields.get(0).hasValue() || !fields.get(1).hasValue()) {
            return Optional.empty();
        }
        return Optional.of(new FencedValue(fields.get(0).getValue(), Long.parseLong(fields.get(1).getValue())));
    }

    private String dataKey(String key) {
        return Internals.of(latchkey).keys().key(name, key, "fenced");
    }

    @Override
    public String toString() {
        return "FencedResource[" + name + "]";
    }
}
