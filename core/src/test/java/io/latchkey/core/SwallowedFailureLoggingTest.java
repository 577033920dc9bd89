package io.latchkey.core;

import static org.awaitility.Awaitility.await;
import io.latchkey.core.spi.Internals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.RecordingLoggerFinder.Entry;
import io.latchkey.core.spi.LeaseClock;
import io.latchkey.core.spi.LeaseState;
import io.latchkey.core.spi.LuaScript;
import io.latchkey.core.spi.Watchdog;
import io.latchkey.testing.EmbeddedRedis;
import io.latchkey.testing.RedisTest;
import io.lettuce.core.ScriptOutputType;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * What Latchkey catches so that it does not escape (a listener's failure, a close during an outage, a background
 * clean-up that gives up, a client without metrics) is logged through {@link System.Logger}, recorded here by
 * {@link RecordingLoggerFinder}; and nothing escapes.
 */
@RedisTest
class SwallowedFailureLoggingTest {

    private static final Duration PATIENCE = Duration.ofSeconds(5);

    @Test
    void aThrowingLeaseLostListenerIsLoggedAndKillsNothing() {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            String name = "job-" + UUID.randomUUID();
            RuntimeException boom = new IllegalStateException("listener bug");
            Watchdog.start(scheduler, name, Duration.ofMillis(30), null,
                    () -> CompletableFuture.completedFuture(false), () -> true, (n, c) -> {
                        throw boom;
                    });
            Predicate<Entry> mine = e -> e.level() == Level.WARNING && e.message().contains(name);
            await().atMost(PATIENCE).until(() -> !RecordingLoggerFinder.records(mine).isEmpty());
            assertSame(boom, RecordingLoggerFinder.records(mine).get(0).thrown());
            // the scheduler thread survived the listener
            assertEquals(1, (int) scheduler.schedule(() -> 1, 0, TimeUnit.MILLISECONDS).get(5, TimeUnit.SECONDS));
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void aThrowingPubSubListenerIsLoggedAndTheOthersStillHearTheMessage(Latchkey latchkey, EmbeddedRedis redis)
            throws Exception {
        String channel = "ch:" + UUID.randomUUID();
        AtomicInteger heard = new AtomicInteger();
        // one listener of each kind throws: a message reader (runs in the dispatch) and a wake-up (on the scheduler)
        Internals.of(latchkey).notifications().subscribe(channel, (String message) -> {
            throw new IllegalStateException("reader bug");
        }).get(5, TimeUnit.SECONDS);
        Internals.of(latchkey).notifications().subscribe(channel, (Runnable) () -> {
            throw new IllegalStateException("wake-up bug");
        }).get(5, TimeUnit.SECONDS);
        Internals.of(latchkey).notifications().subscribe(channel, (String message) -> heard.incrementAndGet()).get(5, TimeUnit.SECONDS);
        Internals.of(latchkey).notifications().subscribe(channel, (Runnable) heard::incrementAndGet).get(5, TimeUnit.SECONDS);
        try (Latchkey publisher = Latchkey.connect(redis.uri())) {
            Internals.of(publisher).redis().callSync(c -> c.publish(channel, "x"));
        }
        await().atMost(PATIENCE).until(() -> heard.get() == 2);
        Predicate<Entry> mine = e -> e.level() == Level.WARNING && e.message().contains(channel);
        await().atMost(PATIENCE).until(() -> RecordingLoggerFinder.records(mine).size() == 2);
        assertEquals(java.util.Set.of("reader bug", "wake-up bug"), RecordingLoggerFinder.records(mine).stream()
                .map(e -> e.thrown().getMessage()).collect(java.util.stream.Collectors.toSet()));
    }

    @Test
    void aBackgroundCleanUpThatGivesUpIsLogged(Latchkey latchkey) {
        String key = "k:" + UUID.randomUUID();
        LuaScript failing = LuaScript.of("always-fails", "return redis.error_reply('refused')");
        CompletableFuture<Object> f = Internals.of(latchkey).redis().evalEventually(failing, ScriptOutputType.STATUS,
                new String[] {key}, new String[0], System.nanoTime() + TimeUnit.SECONDS.toNanos(30));
        CompletionException e = assertThrows(CompletionException.class, () -> f.orTimeout(5, TimeUnit.SECONDS).join());
        assertInstanceOf(LatchkeyScriptException.class, e.getCause());
        List<Entry> logged = RecordingLoggerFinder.records(r -> r.level() == Level.WARNING
                && r.message().contains("always-fails") && r.message().contains(key));
        assertEquals(1, logged.size(), "one warning when it gives up: " + logged);
        assertTrue(logged.get(0).message().contains("gave up"), logged.get(0).message());
    }

    @Test
    void aMissingMeterRegistryIsWarnedOncePerJvm(EmbeddedRedis redis) {
        Latchkey.connect(redis.uri()).close();
        Latchkey.connect(redis.uri()).close();
        List<Entry> warnings = RecordingLoggerFinder.records(e -> e.level() == Level.WARNING
                && e.message().contains("no MeterRegistry configured"));
        assertEquals(1, warnings.size(), "however many clients: " + warnings);
        int before = warnings.size();
        Latchkey.builder().uri(redis.uri()).meterRegistry(new io.micrometer.core.instrument.simple.SimpleMeterRegistry())
                .build().close();
        assertEquals(before, RecordingLoggerFinder.records(e -> e.message().contains("no MeterRegistry")).size());
    }

    @Test
    void aCloseThatCannotReleaseLogsAndReleasesInTheBackground() {
        LeaseState<ReleaseResult> state = new LeaseState<>(new LeaseClock(System.nanoTime(),
                TimeUnit.SECONDS.toNanos(10), n -> 0), () -> { });
        AtomicInteger background = new AtomicInteger();
        String lease = "Lease[" + UUID.randomUUID() + "]";
        state.close(() -> {
            throw new LatchkeyUnavailableException("Redis is unavailable: test", null);
        }, background::incrementAndGet, lease);
        assertEquals(1, background.get(), "the release goes on in the background");
        assertEquals(1, RecordingLoggerFinder.records(e -> e.level() == Level.INFO
                && e.message().contains(lease)).size());

        // a close whose release went through logs nothing and sends nothing more
        LeaseState<ReleaseResult> ok = new LeaseState<>(new LeaseClock(System.nanoTime(),
                TimeUnit.SECONDS.toNanos(10), n -> 0), () -> { });
        String quiet = "Lease[" + UUID.randomUUID() + "]";
        ok.close(() -> ok.release(() -> CompletableFuture.completedFuture(ReleaseResult.RELEASED),
                ReleaseResult::wasHeld).join(), background::incrementAndGet, quiet);
        assertEquals(1, background.get());
        assertTrue(RecordingLoggerFinder.records(e -> e.message().contains(quiet)).isEmpty());
    }
}
