package io.latchkey.core.spi;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.Latchkey;
import io.latchkey.core.LatchkeyException;
import io.latchkey.core.spi.EventDrivenWait.Attempt;
import io.latchkey.testing.EmbeddedRedis;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shared wait loop, driven by a flag standing in for a lock's state. */
class EventDrivenWaitTest {

    static EmbeddedRedis redis;
    static Latchkey latchkey;

    @BeforeAll
    static void start() {
        redis = EmbeddedRedis.start();
        latchkey = Latchkey.connect(redis.uri());
    }

    @AfterAll
    static void stop() {
        latchkey.close();
        redis.close();
    }

    private static CompletableFuture<Attempt<String>> attempt(AtomicBoolean free, AtomicInteger count, Duration hint) {
        count.incrementAndGet();
        return CompletableFuture.completedFuture(free.get() ? Attempt.acquired("got-it") : Attempt.retryAfter(hint));
    }

    @Test
    void uncontendedIsOneAttemptWithoutSubscribing() throws Exception {
        // waits of other tests (cancelled, interrupted) unsubscribe asynchronously: start from a clean client
        await().atMost(Duration.ofSeconds(5)).until(() -> Internals.of(latchkey).notifications().subscribedChannels() == 0);
        AtomicInteger attempts = new AtomicInteger();
        Optional<String> r = EventDrivenWait.start(latchkey, "w:free", Duration.ofSeconds(1),
                () -> attempt(new AtomicBoolean(true), attempts, Duration.ZERO), v -> { }).get(5, TimeUnit.SECONDS);
        assertEquals(Optional.of("got-it"), r);
        assertEquals(1, attempts.get());
        assertEquals(0, Internals.of(latchkey).notifications().subscribedChannels());
    }

    @Test
    void zeroMaxWaitIsASingleAttempt() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        Optional<String> r = EventDrivenWait.start(latchkey, "w:zero", Duration.ZERO,
                () -> attempt(new AtomicBoolean(false), attempts, Duration.ofSeconds(10)), v -> { }).get(5, TimeUnit.SECONDS);
        assertTrue(r.isEmpty());
        assertEquals(1, attempts.get());
    }

    @Test
    void aReleaseMessageWakesTheWaiterLongBeforeTheFallbackTimer() throws Exception {
        AtomicBoolean free = new AtomicBoolean(false);
        AtomicInteger attempts = new AtomicInteger();
        // the hint says "30 s", and the fallback bound is 30 s: only the message can end this wait quickly
        CompletableFuture<Optional<String>> wait = EventDrivenWait.start(latchkey, "w:msg", Duration.ofSeconds(60),
                Duration.ofSeconds(30), () -> attempt(free, attempts, Duration.ofSeconds(30)), v -> { });
        await().atMost(Duration.ofSeconds(5)).until(() -> attempts.get() >= 2); // first try, then the post-subscribe try
        free.set(true);
        Internals.of(latchkey).redis().callSync(c -> c.publish("w:msg", "released"));
        assertEquals(Optional.of("got-it"), wait.get(5, TimeUnit.SECONDS));
        await().atMost(Duration.ofSeconds(5)).until(() -> Internals.of(latchkey).notifications().subscribedChannels() == 0);
    }

    @Test
    void aLostMessageIsCoveredByTheTimerAtTheHint() throws Exception {
        AtomicBoolean free = new AtomicBoolean(false);
        AtomicInteger attempts = new AtomicInteger();
        CompletableFuture<Optional<String>> wait = EventDrivenWait.start(latchkey, "w:lost", Duration.ofSeconds(30),
                () -> attempt(free, attempts, Duration.ofMillis(50)), v -> { });
        await().atMost(Duration.ofSeconds(5)).until(() -> attempts.get() >= 2);
        free.set(true); // no PUBLISH: the re-check timer must find it
        assertEquals(Optional.of("got-it"), wait.get(5, TimeUnit.SECONDS));
    }

    @Test
    void theWaitEndsEmptyAtMaxWait() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        long start = System.nanoTime();
        Optional<String> r = EventDrivenWait.start(latchkey, "w:timeout", Duration.ofMillis(300),
                () -> attempt(new AtomicBoolean(false), attempts, Duration.ofSeconds(10)), v -> { }).get(5, TimeUnit.SECONDS);
        assertTrue(r.isEmpty());
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(300), "not before maxWait");
        assertTrue(attempts.get() >= 2, "at least the first try and a final try at the deadline");
    }

    @Test
    void cancellingHandsALateAcquisitionToAbandon() throws Exception {
        CompletableFuture<Attempt<String>> inFlight = new CompletableFuture<>();
        AtomicReference<String> abandoned = new AtomicReference<>();
        CompletableFuture<Optional<String>> wait = EventDrivenWait.start(latchkey, "w:cancel", Duration.ofSeconds(30),
                () -> inFlight, abandoned::set);
        wait.cancel(false);
        inFlight.complete(Attempt.acquired("late"));
        assertEquals("late", abandoned.get(), "what was acquired after the caller gave up is released");
    }

    @Test
    void interruptionCancelsTheWait() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        CompletableFuture<Optional<String>> wait = EventDrivenWait.start(latchkey, "w:interrupt", Duration.ofSeconds(30),
                () -> attempt(new AtomicBoolean(false), attempts, Duration.ofSeconds(10)), v -> { });
        CountDownLatch waiting = new CountDownLatch(1);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(() -> {
            waiting.countDown();
            try {
                EventDrivenWait.awaitInterruptibly(wait);
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        t.start();
        waiting.await();
        t.interrupt();
        t.join(5_000);
        assertFalse(t.isAlive());
        assertTrue(thrown.get() instanceof InterruptedException, String.valueOf(thrown.get()));
        assertTrue(wait.isCancelled());
    }

    @Test
    void aFailedAttemptFailsTheWaitWithALatchkeyException() {
        CompletableFuture<Optional<String>> wait = EventDrivenWait.start(latchkey, "w:fail", Duration.ofSeconds(5),
                () -> CompletableFuture.failedFuture(new io.lettuce.core.RedisConnectionException("down")), v -> { });
        assertThrows(LatchkeyException.class, () -> EventDrivenWait.awaitInterruptibly(wait));
    }
}
