package io.latchkey.core.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The local rules of a lease, without Redis: scripts are futures completed by hand. */
class LeaseStateTest {

    private final AtomicInteger losses = new AtomicInteger();
    private final AtomicInteger scripts = new AtomicInteger();

    private LeaseState<Long> lease(long leaseMs) {
        return new LeaseState<>(new LeaseClock(System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(leaseMs), n -> 0),
                losses::incrementAndGet);
    }

    @Test
    void oneReleaseScriptHoweverManyCallers() {
        LeaseState<Long> state = lease(30_000);
        CompletableFuture<Long> answer = new CompletableFuture<>();
        CompletableFuture<Long> first = state.release(() -> {
            scripts.incrementAndGet();
            return answer;
        }, n -> n == 1L);
        CompletableFuture<Long> second = state.release(() -> {
            scripts.incrementAndGet();
            return answer;
        }, n -> n == 1L);
        assertSame(first, second);
        answer.complete(1L);
        assertEquals(1, scripts.get());
        assertEquals(1L, first.join());
        assertTrue(state.isReleased());
        assertFalse(state.isValid());
        assertEquals(Duration.ZERO, state.remaining());
        assertEquals(0, losses.get());
    }

    @Test
    void aFailedReleaseMayBeSentAgain() {
        LeaseState<Long> state = lease(30_000);
        CompletableFuture<Long> failed = state.release(() -> CompletableFuture.failedFuture(new RuntimeException("x")),
                n -> n == 1L);
        assertTrue(failed.isCompletedExceptionally());
        assertFalse(state.isReleased());
        assertEquals(1L, state.release(() -> CompletableFuture.completedFuture(1L), n -> n == 1L).join());
    }

    @Test
    void aReleaseThatFindsTheLeaseGoneCountsOneLoss() {
        LeaseState<Long> state = lease(30_000);
        state.release(() -> CompletableFuture.completedFuture(0L), n -> n == 1L).join();
        state.markLost();
        assertEquals(1, losses.get());
        assertTrue(state.isEnded());
    }

    @Test
    void aLossSeenWhileTheReleaseIsUnderWayIsLeftToTheReleasesAnswer() {
        LeaseState<Long> state = lease(30_000);
        CompletableFuture<Long> answer = new CompletableFuture<>();
        state.release(() -> answer, n -> n == 1L);
        state.markLost(); // e.g. a concurrent extend that found the lease already released
        answer.complete(1L);
        assertEquals(0, losses.get());
    }

    @Test
    void extendMovesTheClockOrMarksTheLeaseLost() {
        LeaseState<Long> state = lease(50);
        assertTrue(state.extend(60_000, ms -> CompletableFuture.completedFuture(true)).join());
        assertTrue(state.remaining().compareTo(Duration.ofSeconds(50)) > 0);
        assertFalse(state.extend(60_000, ms -> CompletableFuture.completedFuture(false)).join());
        assertEquals(1, losses.get());
        assertFalse(state.isValid());
        assertFalse(state.extend(60_000, ms -> {
            scripts.incrementAndGet();
            return CompletableFuture.completedFuture(true);
        }).join(), "an ended lease is not extended");
        assertEquals(0, scripts.get(), "and costs no round trip");
    }

    @Test
    void aClockOfAGivenDeadlineOnlyEverShortensOnAPartialExtension() {
        long now = System.nanoTime();
        LeaseClock clock = LeaseClock.of(now + 10_000_000_000L, now + 11_000_000_000L, n -> 0);
        clock.shortenTo(now + 20_000_000_000L);
        assertEquals(now + 10_000_000_000L, clock.deadlineNanos());
        clock.shortenTo(now + 5_000_000_000L);
        assertEquals(now + 5_000_000_000L, clock.deadlineNanos());
        assertEquals(now + 11_000_000_000L, clock.leaseEndNanos());
    }
}
