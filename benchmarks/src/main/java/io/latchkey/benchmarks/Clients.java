package io.latchkey.benchmarks;

import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.github.bucket4j.redis.lettuce.cas.LettuceBasedProxyManager;
import io.latchkey.core.Latchkey;
import io.latchkey.core.spi.LuaScript;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.ThreadParams;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/**
 * The clients under comparison, each created once per benchmark run and shared by all its threads, the way an
 * application shares one client: Latchkey (one multiplexed connection), raw Lettuce (one multiplexed connection:
 * the physical limit for the same round trips), Redisson and Bucket4j with their defaults.
 */
public final class Clients {

    private Clients() {
    }

    /** A Latchkey client on the benchmark server. */
    @State(Scope.Benchmark)
    public static class LatchkeyClient {
        public Latchkey latchkey;

        @Setup(Level.Trial)
        public void open() {
            latchkey = Latchkey.builder().uri(BenchEnv.redis()).namespace("bench").build();
        }

        @TearDown(Level.Trial)
        public void close() {
            latchkey.close();
        }
    }

    /** One Latchkey client per independent Redlock node. */
    @State(Scope.Benchmark)
    public static class RedlockNodes {
        public List<Latchkey> nodes;

        @Setup(Level.Trial)
        public void open() {
            nodes = BenchEnv.redlockNodes().stream()
                    .map(uri -> Latchkey.builder().uri(uri).namespace("bench").build())
                    .toList();
        }

        @TearDown(Level.Trial)
        public void close() {
            nodes.forEach(Latchkey::close);
        }
    }

    /** Raw Lettuce on one shared connection, with the baseline scripts loaded. */
    @State(Scope.Benchmark)
    public static class RawLettuce {
        public RedisClient client;
        public StatefulRedisConnection<String, String> connection;
        public RedisCommands<String, String> redis;
        public String compareAndDelete;
        public String fixedWindow;

        @Setup(Level.Trial)
        public void open() {
            client = RedisClient.create(BenchEnv.redis());
            connection = client.connect();
            redis = connection.sync();
            compareAndDelete = redis.scriptLoad(LuaScript.load(Clients.class, "compare-and-delete.lua").source());
            fixedWindow = redis.scriptLoad(LuaScript.load(Clients.class, "fixed-window.lua").source());
        }

        @TearDown(Level.Trial)
        public void close() {
            connection.close();
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    /** Redisson with its defaults, string codec, and no slave-sync wait on locks (there are no replicas). */
    @State(Scope.Benchmark)
    public static class RedissonState {
        public RedissonClient redisson;

        @Setup(Level.Trial)
        public void open() {
            Config config = new Config();
            config.setCodec(StringCodec.INSTANCE);
            config.setCheckLockSyncedSlaves(false);
            config.useSingleServer().setAddress(BenchEnv.redis());
            redisson = Redisson.create(config);
        }

        @TearDown(Level.Trial)
        public void close() {
            redisson.shutdown();
        }
    }

    /** Bucket4j's Lettuce compare-and-swap proxy manager on one shared connection. */
    @State(Scope.Benchmark)
    public static class Bucket4jState {
        public RedisClient client;
        public StatefulRedisConnection<String, byte[]> connection;
        public LettuceBasedProxyManager<String> buckets;

        @Setup(Level.Trial)
        public void open() {
            client = RedisClient.create(BenchEnv.redis());
            connection = client.connect(RedisCodec.of(io.lettuce.core.codec.StringCodec.UTF8, ByteArrayCodec.INSTANCE));
            buckets = Bucket4jLettuce.casBasedBuilder(connection)
                    .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                            Duration.ofSeconds(10)))
                    .build();
        }

        @TearDown(Level.Trial)
        public void close() {
            connection.close();
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    /** Per-thread identity: a key of its own, and a source of unique ids. */
    @State(Scope.Thread)
    public static class Worker {
        public int index;
        public String ownKey;
        private String idPrefix;
        private long next;

        @Setup(Level.Trial)
        public void setup(ThreadParams thread) {
            index = thread.getThreadIndex();
            ownKey = "t" + index;
            idPrefix = Long.toHexString(ThreadLocalRandom.current().nextLong()) + "-" + index + "-";
        }

        /** A fresh id, unique across threads and runs. */
        public String nextId() {
            return idPrefix + (next++);
        }
    }
}
