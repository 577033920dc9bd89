package io.latchkey.testing;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;

/** Lettuce clients with short timeouts, sharing one set of client resources for the whole test JVM. */
final class Clients {

    static final ClientResources RESOURCES = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build();

    private Clients() {
    }

    static RedisClient client(String uri, Duration commandTimeout) {
        RedisClient client = RedisClient.create(RESOURCES, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .socketOptions(SocketOptions.builder().connectTimeout(Duration.ofSeconds(1)).build())
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                .build());
        return client;
    }

    /** A connection that closes its client with it. */
    static final class Conn implements AutoCloseable {
        final RedisClient client;
        final StatefulRedisConnection<String, String> connection;

        Conn(String uri, Duration timeout) {
            this.client = client(uri, timeout);
            try {
                this.connection = client.connect();
            } catch (RuntimeException e) {
                shutdown(client);
                throw e;
            }
        }

        io.lettuce.core.api.sync.RedisCommands<String, String> sync() {
            return connection.sync();
        }

        @Override
        public void close() {
            connection.close();
            shutdown(client);
        }
    }

    static Conn connect(String uri, Duration timeout) {
        return new Conn(uri, timeout);
    }

    static void shutdown(io.lettuce.core.AbstractRedisClient client) {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
