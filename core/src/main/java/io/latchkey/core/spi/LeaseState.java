package io.latchkey.core.spi;

import io.latchkey.core.LatchkeyException;
import io.latchkey.core.LeaseLostListener;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongFunction;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The local life of one granted lease (a lock lease, a permit), with the rules every such lease follows: once
 * released or lost it reports no time left and is invalid, and an extend answers {@code false} without a round trip;
 * a successful extend moves its {@link LeaseClock}, one that finds the lease gone marks it lost; a loss is counted
 * once; its watchdog stops (and a renewal in flight completes) before the release is sent; and however many callers
 * release it, one release script is sent (a failed one may be tried again). The module supplies the scripts.
 *
 * @param <R> what the module's release script answers
 */
public final class LeaseState<R> {

    private static final System.Logger LOG = System.getLogger(LeaseState.class.getName());

    private final LeaseClock clock;
    private final Runnable onLost;
    private final AtomicBoolean lost = new AtomicBoolean();
    private final AtomicReference<CompletableFuture<R>> release = new AtomicReference<>();
    private volatile boolean released;
    private volatile Watchdog watchdog;

    /**
     * @param clock  the lease's local deadline
     * @param onLost runs once when the lease is found lost (e.g. a metric)
     */
    public LeaseState(LeaseClock clock, Runnable onLost) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.onLost = Objects.requireNonNull(onLost, "onLost");
    }

    public LeaseClock clock() {
        return clock;
    }

    /** Time left before the local deadline; zero once released or lost. */
    public Duration remaining() {
        return released || lost.get() ? Duration.ZERO : clock.remaining();
    }

    /** Neither released nor lost, and before the local deadline. */
    public boolean isValid() {
        return !released && !lost.get() && clock.isValid();
    }

    /** Whether it was released or found lost (its local deadline alone does not end it). */
    public boolean isEnded() {
        return released || lost.get();
    }

    /** Whether a release has completed. */
    public boolean isReleased() {
        return released;
    }

    /**
     * Starts the lease's watchdog (see {@link Watchdog#start}): past the local deadline a reported loss marks the
     * lease lost, then {@code listener} (may be null) is told.
     */
    public void startWatchdog(ScheduledExecutorService scheduler, String name, Duration leaseTime, Duration maxHold,
                              Supplier<CompletableFuture<Boolean>> renew, LeaseLostListener listener) {
        watchdog = Watchdog.start(scheduler, name, leaseTime, maxHold, renew, clock::isValid, (n, cause) -> {
            if (!clock.isValid()) {
                markLost(); // past its deadline (at maxHold the lease simply runs out)
            }
            if (listener != null) {
                listener.leaseLost(n, cause);
            }
        });
    }

    /** Stops the watchdog, if any; completes once no renewal is in flight. */
    public CompletableFuture<Void> stopWatchdog() {
        Watchdog w = watchdog;
        return w == null ? CompletableFuture.completedFuture(null) : w.stop();
    }

    /**
     * Extends the lease to {@code leaseMs} from now with {@code script} (owner-checked, never re-creating the lease;
     * answers whether the lease was still held).
     */
    public CompletableFuture<Boolean> extend(long leaseMs, LongFunction<CompletableFuture<Boolean>> script) {
        if (isEnded()) {
            return CompletableFuture.completedFuture(false);
        }
        long sent = System.nanoTime();
        return script.apply(leaseMs).thenApply(extended -> {
            if (extended) {
                clock.renewed(sent, TimeUnit.MILLISECONDS.toNanos(leaseMs));
            } else {
                markLost();
            }
            return extended;
        });
    }

    /** Marks the lease lost (counted once); not after or during its release, whose own answer decides then. */
    public void markLost() {
        if (!released && release.get() == null && lost.compareAndSet(false, true)) {
            onLost.run();
        }
    }

    /**
     * What {@code close()} of every lease does: runs {@code release} (the lease's blocking release) and never throws;
     * if it failed and the lease is not released, logs it (INFO) and runs {@code releaseInBackground}, which keeps
     * sending the release without blocking until it lands or the lease is over anyway.
     *
     * @param lease what to name in the log, e.g. the lease's {@code toString()}
     */
    public void close(Runnable release, Runnable releaseInBackground, Object lease) {
        try {
            release.run();
        } catch (RuntimeException e) {
            if (!released) {
                LOG.log(System.Logger.Level.INFO, () -> lease + ": close() could not release it (" + e
                        + "); releasing in the background until that lands or the lease expires");
                releaseInBackground.run();
            }
        }
    }

    /**
     * Releases the lease once: stops the watchdog, then sends {@code script}; an answer for which {@code wasHeld} is
     * false counts the lease as lost (it expired or was taken before the release). Later calls get the same future
     * without another round trip, unless the release failed.
     */
    public CompletableFuture<R> release(Supplier<CompletableFuture<R>> script, Predicate<? super R> wasHeld) {
        while (true) {
            CompletableFuture<R> current = release.get();
            if (current != null && !current.isCompletedExceptionally()) {
                return current; // released, or a release in flight: one script per lease
            }
            CompletableFuture<R> mine = new CompletableFuture<>();
            if (release.compareAndSet(current, mine)) {
                // no renewal can follow the release: the watchdog stops, and a renewal in flight completes, first
                stopWatchdog().thenCompose(x -> script.get()).whenComplete((outcome, failure) -> {
                    if (failure != null) {
                        mine.completeExceptionally(Failures.translate(failure));
                        return;
                    }
                    if (!wasHeld.test(outcome) && lost.compareAndSet(false, true)) {
                        onLost.run();
                    }
                    released = true;
                    mine.complete(outcome);
                });
                return mine;
            }
        }
    }
}
