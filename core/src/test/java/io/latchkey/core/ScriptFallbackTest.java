package io.latchkey.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.spi.Internals;
import io.latchkey.core.spi.LuaScript;
import io.latchkey.testing.EmbeddedRedis;
import io.lettuce.core.ScriptOutputType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** EVALSHA with NOSCRIPT fallback: flushing the script cache mid-run makes no call fail. */
class ScriptFallbackTest {

    private static final LuaScript INCR = LuaScript.of("incr-test",
            "return redis.call('INCRBY', KEYS[1], ARGV[1])");

    static EmbeddedRedis redis;

    @BeforeAll
    static void start() {
        redis = EmbeddedRedis.start();
    }

    @AfterAll
    static void stop() {
        redis.close();
    }

    @Test
    void firstCallLoadsTheScriptTransparently() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (Latchkey lk = Latchkey.builder().uri(redis.uri()).meterRegistry(meters).build()) {
            Internals.of(lk).redis().callSync(c -> c.scriptFlush());
            long v = Internals.of(lk).redis().<Long>evalSync(INCR, ScriptOutputType.INTEGER, new String[] {"t:first"}, "5");
            assertEquals(5L, v);
            assertEquals(1.0, meters.get("latchkey.core.script.reloads").counter().count());
            // now cached: no further reload
            Internals.of(lk).redis().<Long>evalSync(INCR, ScriptOutputType.INTEGER, new String[] {"t:first"}, "1");
            assertEquals(1.0, meters.get("latchkey.core.script.reloads").counter().count());
        }
    }

    @Test
    void flushingTheCacheMidRunFailsNoCall() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        int threads = 4;
        int callsPerThread = 2_000;
        try (Latchkey lk = Latchkey.builder().uri(redis.uri()).meterRegistry(meters).build()) {
            Internals.of(lk).redis().callSync(c -> c.del("t:flush"));
            ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
            AtomicBoolean running = new AtomicBoolean(true);
            try {
                Future<Integer> flusher = pool.submit(() -> {
                    int flushes = 0;
                    while (running.get()) {
                        Internals.of(lk).redis().callSync(c -> c.scriptFlush());
                        flushes++;
                    }
                    return flushes;
                });
                List<Future<?>> workers = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    workers.add(pool.submit(() -> {
                        for (int i = 0; i < callsPerThread; i++) {
                            if (i % 2 == 0) {
                                Internals.of(lk).redis().evalSync(INCR, ScriptOutputType.INTEGER, new String[] {"t:flush"}, "1");
                            } else {
                                CompletableFuture<Long> f = Internals.of(lk).redis().eval(INCR, ScriptOutputType.INTEGER,
                                        new String[] {"t:flush"}, "1");
                                Internals.of(lk).redis().await(f);
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> w : workers) {
                    w.get(); // rethrows any failed call
                }
                running.set(false);
                assertTrue(flusher.get() > 0);
            } finally {
                running.set(false);
                pool.shutdownNow();
            }
            assertEquals("" + threads * callsPerThread, Internals.of(lk).redis().callSync(c -> c.get("t:flush")));
            assertTrue(meters.get("latchkey.core.script.reloads").counter().count() > 0,
                    "the flusher should have forced at least one NOSCRIPT fallback");
        }
    }

    @Test
    void scriptErrorsAreTyped() {
        LuaScript broken = LuaScript.of("broken", "return redis.call('NOPE')");
        try (Latchkey lk = Latchkey.connect(redis.uri())) {
            LatchkeyScriptException e = org.junit.jupiter.api.Assertions.assertThrows(LatchkeyScriptException.class,
                    () -> Internals.of(lk).redis().evalSync(broken, ScriptOutputType.STATUS, new String[0]));
            assertTrue(e.getMessage().contains("NOPE") || e.getMessage().toLowerCase().contains("unknown"), e.getMessage());
        }
    }
}
