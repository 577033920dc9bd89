package io.latchkey.core.spi;

import io.latchkey.core.LatchkeyException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Hands the result of an {@link EventDrivenWait} to the caller of an acquire, the way every lease-granting primitive
 * (lock, semaphore) does it: outcome metrics, a lease prepared (e.g. its watchdog started) before the caller can see
 * it, a lease granted after the caller cancelled released, and the caller's cancellation stopping the wait.
 */
public final class Acquisitions {

    /** The acquire outcomes a module records, each with the {@link System#nanoTime()} the acquire started at. */
    public interface Outcomes {
        /** A lease was handed to the caller. */
        void acquired(long startNanos);

        /** The wait ended (maxWait) without a lease. */
        void notAcquired(long startNanos);

        /** The acquire failed. */
        void failed(long startNanos);

        /** The caller cancelled (or a lease arrived after the caller cancelled). */
        void cancelled(long startNanos);
    }

    private Acquisitions() {
    }

    /**
     * The outcome timers every primitive records: {@code meter{name, result}} with {@code result} one of
     * {@code acquired}, {@code not_acquired}, {@code error}, {@code cancelled}; each records the time from the start
     * of the acquire, waiting included.
     *
     * @param meter       the timer's name, e.g. {@code latchkey.lock.acquire}
     * @param name        the {@code name} tag (a bounded group, never a per-request value)
     * @param description the timer's description
     */
    public static Outcomes timers(MeterRegistry registry, String meter, String name, String description) {
        Timer acquired = timer(registry, meter, name, "acquired", description);
        Timer notAcquired = timer(registry, meter, name, "not_acquired", description);
        Timer failed = timer(registry, meter, name, "error", description);
        Timer cancelled = timer(registry, meter, name, "cancelled", description);
        return new Outcomes() {
            @Override
            public void acquired(long startNanos) {
                record(acquired, startNanos);
            }

            @Override
            public void notAcquired(long startNanos) {
                record(notAcquired, startNanos);
            }

            @Override
            public void failed(long startNanos) {
                record(failed, startNanos);
            }

            @Override
            public void cancelled(long startNanos) {
                record(cancelled, startNanos);
            }
        };
    }

    private static Timer timer(MeterRegistry registry, String meter, String name, String result, String description) {
        return Timer.builder(meter).tag("name", name).tag("result", result).description(description)
                .register(registry);
    }

    private static void record(Timer timer, long startNanos) {
        timer.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * The caller's future for {@code wait}: cancellation → {@code cancelled} and the caller's future cancelled;
     * failure → {@code failed} and a translated {@link LatchkeyException}; empty → {@code notAcquired}; a lease →
     * {@code prepare} runs first, then the caller's future completes ({@code acquired}), or, if the caller already
     * cancelled, {@code cancelled} and {@code abandon} (which must release it without blocking). Cancelling the
     * returned future cancels {@code wait}, whose own abandon hook releases a grant still on its way.
     *
     * @param wait       the wait, e.g. from {@link EventDrivenWait#start}
     * @param startNanos {@link System#nanoTime()} when the acquire started
     * @param outcomes   where outcomes are recorded
     * @param prepare    runs on a lease before the caller can see (and release) it
     * @param abandon    releases a lease nobody will see
     * @param <T>        what the caller sees
     * @param <L>        the module's lease type
     * @return the caller's future
     */
    public static <T, L extends T> CompletableFuture<Optional<T>> deliver(CompletableFuture<Optional<L>> wait,
            long startNanos, Outcomes outcomes, Consumer<? super L> prepare, Consumer<? super L> abandon) {
        CompletableFuture<Optional<T>> out = new CompletableFuture<>();
        wait.whenComplete((result, failure) -> {
            if (failure != null) {
                if (Failures.unwrap(failure) instanceof CancellationException) {
                    outcomes.cancelled(startNanos);
                    out.cancel(false);
                } else {
                    outcomes.failed(startNanos);
                    out.completeExceptionally(Failures.translate(failure));
                }
                return;
            }
            if (result.isEmpty()) {
                outcomes.notAcquired(startNanos);
                out.complete(Optional.empty());
                return;
            }
            L lease = result.get();
            prepare.accept(lease);
            if (out.complete(Optional.of(lease))) {
                outcomes.acquired(startNanos);
            } else {
                outcomes.cancelled(startNanos);
                abandon.accept(lease); // the caller cancelled while the grant was on its way
            }
        });
        out.whenComplete((v, f) -> {
            if (out.isCancelled()) {
                wait.cancel(false);
            }
        });
        return out;
    }

    /**
     * {@code wait}, with {@code step} run on an acquired lease before it is delivered (e.g. waiting for replicas):
     * the step yields the lease to hand out, or fails (after releasing it itself). Cancelling the returned future
     * cancels {@code wait}; a lease whose step ends after that cancellation goes to {@code abandon}.
     */
    public static <L> CompletableFuture<Optional<L>> afterGrant(CompletableFuture<Optional<L>> wait,
            java.util.function.Function<? super L, CompletableFuture<L>> step, Consumer<? super L> abandon) {
        CompletableFuture<Optional<L>> out = new CompletableFuture<>();
        wait.whenComplete((result, failure) -> {
            if (failure != null) {
                out.completeExceptionally(failure);
            } else if (result.isEmpty()) {
                out.complete(result);
            } else {
                CompletableFuture<L> stepped;
                try {
                    stepped = step.apply(result.get());
                } catch (RuntimeException e) {
                    stepped = CompletableFuture.failedFuture(e);
                }
                stepped.whenComplete((lease, stepFailure) -> {
                    if (stepFailure != null) {
                        out.completeExceptionally(Failures.translate(stepFailure));
                    } else if (!out.complete(Optional.of(lease))) {
                        abandon.accept(lease); // cancelled while the step ran
                    }
                });
            }
        });
        out.whenComplete((v, f) -> {
            if (out.isCancelled()) {
                wait.cancel(false);
            }
        });
        return out;
    }
}
