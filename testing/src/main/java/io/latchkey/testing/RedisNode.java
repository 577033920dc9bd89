package io.latchkey.testing;

/**
 * A Redis server a test can connect to, whatever started it: an {@link EmbeddedRedis} process or a
 * {@link ContainerRedis} container. Closing it stops the server.
 */
public interface RedisNode extends AutoCloseable {

    /** The host to connect to (an IP literal). */
    String host();

    /** The TCP port to connect to. */
    int port();

    /** A Redis URI, {@code redis://[:password@]host:port}. */
    String uri();

    /** The password ({@code requirepass}) or {@code null}. */
    String password();

    /** Stops the server; idempotent, never throws. */
    @Override
    void close();
}
