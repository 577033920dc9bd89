package io.latchkey.core.spi;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Renewal cadence, loss reporting and stop semantics; the Redis side is tested with the lock and semaphore. */
class WatchdogTest {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void shutdown() {
        scheduler.shutdownNow();
    }

    @Test
    void renewsUntilStoppedAndNeverAfter() {
        AtomicInteger renewals = new AtomicInteger();
        Watchdog w = Watchdog.start(scheduler, "job", Duration.ofMillis(60), null,
                () -> {
                    renewals.incrementAndGet();
                    return CompletableFuture.completedFuture(true);
                }, () -> true, (n, c) -> { });
        await().atMost(Duration.ofSeconds(5)).until(() -> renewals.get() >= 3);
        w.stop().join();
        int atStop = renewals.get();
        assertFalse(w.isRunning());
        // several intervals later, still no renewal
        await().during(Duration.ofMillis(150)).atMost(Duration.ofSeconds(1)).until(() -> renewals.get() == atStop);
    }

    @Test
    void stopWaitsForARenewalInFlight() {
        CompletableFuture<Boolean> inFlight = new CompletableFuture<>();
        AtomicInteger calls = new AtomicInteger();
        Watchdog w = Watchdog.start(scheduler, "job", Duration.ofMillis(30), null,
                () -> {
                    calls.incrementAndGet();
                    return inFlight;
                }, () -> true, (n, c) -> { });
        await().atMost(Duration.ofSeconds(5)).until(() -> calls.get() == 1);
        CompletableFuture<Void> stopped = w.stop();
        assertFalse(stopped.isDone(), "the release must wait for the renewal on the wire");
        inFlight.complete(true);
        assertTrue(stopped.isDone());
    }

    @Test
    void aLostLeaseIsReportedOnce() {
        AtomicInteger reports = new AtomicInteger();
        AtomicReference<String> name = new AtomicReference<>();
        Watchdog w = Watchdog.start(scheduler, "job:1", Duration.ofMillis(30), null,
                () -> CompletableFuture.completedFuture(false), () -> true, (n, c) -> {
                    name.set(n);
                    reports.incrementAndGet();
                });
        await().atMost(Duration.ofSeconds(5)).until(() -> reports.get() == 1);
        assertEquals("job:1", name.get());
        assertFalse(w.isRunning());
    }

    @Test
    void failuresAreRetriedWhileTheLeaseIsLocallyValidThenReported() {
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger reports = new AtomicInteger();
        AtomicReference<Boolean> valid = new AtomicReference<>(true);
        Watchdog.start(scheduler, "job", Duration.ofMillis(30), null,
                () -> {
                    calls.incrementAndGet();
                    return CompletableFuture.failedFuture(new io.lettuce.core.RedisConnectionException("down"));
                }, valid::get, (n, c) -> reports.incrementAndGet());
        await().atMost(Duration.ofSeconds(5)).until(() -> calls.get() >= 3);
        assertEquals(0, reports.get(), "a transient failure while the lease still holds is retried");
        valid.set(false);
        await().atMost(Duration.ofSeconds(5)).until(() -> reports.get() == 1);
    }

    @Test
    void maxHoldStopsRenewing() {
        AtomicInteger reports = new AtomicInteger();
        Watchdog w = Watchdog.start(scheduler, "job", Duration.ofMillis(30), Duration.ofMillis(100),
                () -> CompletableFuture.completedFuture(true), () -> true, (n, c) -> reports.incrementAndGet());
        await().atMost(Duration.ofSeconds(5)).until(() -> reports.get() == 1);
        assertFalse(w.isRunning());
    }
}
