/**
 * Real {@code redis-server} processes for tests: {@link io.latchkey.testing.EmbeddedRedis}, several nodes, a
 * fault-injecting proxy and the {@link io.latchkey.testing.RedisTest} JUnit 5 extension.
 */
@SuppressWarnings("requires-automatic") // embedded-redis has no module name of its own: its jar's name is the one
module io.latchkey.testing {
    requires transitive org.junit.jupiter.api;
    // holds the bundled redis-server binaries (top-level resources, so not encapsulated); no class of it is used
    requires embedded.redis;
    requires static testcontainers;

    exports io.latchkey.testing;
}
