package io.latchkey.benchmarks;

import io.latchkey.testing.EmbeddedRedis;
import io.latchkey.testing.EmbeddedRedisNodes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where the benchmarks find Redis. {@link BenchmarkMain} starts the servers once and hands their URIs to every JMH
 * fork through system properties; a benchmark started some other way (an IDE, plain JMH) starts its own.
 */
final class BenchEnv {

    /** URI of the server every single-node benchmark uses. */
    static final String REDIS = "latchkey.bench.redis";
    /** Comma-separated URIs of the independent nodes the Redlock benchmark uses. */
    static final String REDLOCK = "latchkey.bench.redlock";

    /**
     * Per second: far above what one Redis serves, so every rate-limit request is admitted (we measure the write
     * path), and within every algorithm's bounds (a sliding log stores one entry per permit; a token bucket needs
     * at least 1 µs between tokens).
     */
    static final long UNBOUNDED_RATE = 1_000_000L;

    private static List<String> ownRedlock;
    private static String ownRedis;

    private BenchEnv() {
    }

    static synchronized String redis() {
        String uri = System.getProperty(REDIS);
        if (uri != null) {
            return uri;
        }
        if (ownRedis == null) {
            ownRedis = EmbeddedRedis.start().uri();
        }
        return ownRedis;
    }

    static synchronized List<String> redlockNodes() {
        String uris = System.getProperty(REDLOCK);
        if (uris != null) {
            return Arrays.asList(uris.split(","));
        }
        if (ownRedlock == null) {
            ownRedlock = EmbeddedRedisNodes.start(3).uris();
        }
        return ownRedlock;
    }

    /** Every server a benchmark may touch, for server-CPU accounting. */
    static List<String> allServers() {
        List<String> all = new ArrayList<>();
        all.add(redis());
        if (System.getProperty(REDLOCK) != null) {
            all.addAll(redlockNodes());
        }
        return all;
    }
}
