package io.latchkey.testing;

import java.time.Duration;
import java.util.Objects;

/**
 * A Redis node in a Docker container ({@code redis:7} by default) via Testcontainers, for running the same tests
 * against an official image. Needs {@code org.testcontainers:testcontainers} on the test classpath and a Docker
 * environment; check {@link #isDockerAvailable()} (or {@link #unavailableReason()}) first.
 *
 * <p>This class itself references no Testcontainers type, so loading it is always safe; Testcontainers classes
 * load only when a container is actually started or Docker is probed.
 */
public final class ContainerRedis implements RedisNode {

    /** The image started by {@link #start()}. */
    public static final String DEFAULT_IMAGE = "redis:7";

    private final AutoCloseable container;
    private final String host;
    private final int port;
    private volatile boolean closed;

    private ContainerRedis(AutoCloseable container, String host, int port) {
        this.container = container;
        this.host = host;
        this.port = port;
    }

    /** Whether Testcontainers is on the classpath and finds a working Docker environment. */
    public static boolean isDockerAvailable() {
        return unavailableReason() == null;
    }

    /** {@code null} when containers can be started, else why not (for a skip message). */
    public static String unavailableReason() {
        try {
            Class.forName("org.testcontainers.DockerClientFactory", false, ContainerRedis.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return "org.testcontainers:testcontainers is not on the classpath";
        }
        try {
            return Tc.dockerAvailable() ? null : "Testcontainers found no Docker environment";
        } catch (Throwable t) {
            return "Testcontainers cannot reach Docker: " + t;
        }
    }

    /** Starts {@value #DEFAULT_IMAGE} without persistence. */
    public static ContainerRedis start() {
        return start(DEFAULT_IMAGE, false);
    }

    /** Starts {@code image} (a Redis image), with AOF ({@code appendfsync always}) when {@code appendOnly}. */
    public static ContainerRedis start(String image, boolean appendOnly) {
        Objects.requireNonNull(image, "image");
        String reason = unavailableReason();
        if (reason != null) {
            throw new IllegalStateException("cannot start " + image + ": " + reason);
        }
        Object[] started = Tc.start(image, appendOnly);
        return new ContainerRedis((AutoCloseable) started[0], (String) started[1], (Integer) started[2]);
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String uri() {
        return EmbeddedRedis.uri(host, port, null);
    }

    @Override
    public String password() {
        return null;
    }

    /** Stops and removes the container. Idempotent; never throws. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            container.close();
        } catch (Exception ignored) {
            // never throw from close
        }
    }

    @Override
    public String toString() {
        return "ContainerRedis[" + host + ":" + port + "]";
    }

    /** Every Testcontainers reference lives here, so it is loaded only on the container path. */
    private static final class Tc {
        private Tc() {
        }

        static boolean dockerAvailable() {
            return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
        }

        static Object[] start(String image, boolean appendOnly) {
            org.testcontainers.containers.GenericContainer<?> c =
                    new org.testcontainers.containers.GenericContainer<>(org.testcontainers.utility.DockerImageName.parse(image));
            c.withExposedPorts(6379);
            if (appendOnly) {
                c.withCommand("redis-server", "--save", "", "--appendonly", "yes", "--appendfsync", "always");
            } else {
                c.withCommand("redis-server", "--save", "", "--appendonly", "no");
            }
            c.waitingFor(org.testcontainers.containers.wait.strategy.Wait.forLogMessage(".*Ready to accept connections.*\\n", 1)
                    .withStartupTimeout(Duration.ofSeconds(60)));
            c.start();
            return new Object[] {c, c.getHost(), c.getMappedPort(6379)};
        }
    }
}
