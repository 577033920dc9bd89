package io.latchkey.lock;

import io.latchkey.core.Latchkey;
import java.time.Duration;
import java.util.Optional;

/** Work in progress. */
final class RedisFencedResource implements FencedResource {
    private final String name;

    RedisFencedResource(Latchkey latchkey, String name) {
        this.name = name;
    }

    @Override public String name() { return name; }
    @Override public boolean write(String key, String value, long fencingToken, Duration ttl) { throw new UnsupportedOperationException(); }
    @Override public boolean writeOnce(String key, String value, long fencingToken, Duration ttl) { throw new UnsupportedOperationException(); }
    @Override public Optional<FencedValue> read(String key) { throw new UnsupportedOperationException(); }
}
