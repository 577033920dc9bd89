package io.latchkey.core.spi;

import io.latchkey.core.Latchkey;
import io.latchkey.core.LatchkeyException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The wait loop shared by locks and semaphores: try; if that fails, subscribe to the release channel and try
 * again (so a release between the first try and the subscription is not missed); then re-try on every release
 * message, and on a bounded, jittered timer at the holder's expected expiry so a lost message never hangs a waiter.
 * Never polls at a fixed rate; never blocks a thread (the sync form waits on the future, interruptibly).
 *
 * <p>The uncontended path is one attempt, one round trip, no subscription.
 *
 * <p>By default any message on the channel means "try again". A primitive that hands itself over to one waiter
 * (the lock's queue) reads the messages instead: see {@link #start(Latchkey, String, Duration, Duration, Supplier,
 * Function, Consumer)}.
 *
 * @param <T> what a successful attempt yields (a lease, a permit)
 */
public final class EventDrivenWait<T> {

    /** Upper bound on the fallback re-check interval when no release message arrives. */
    public static final Duration DEFAULT_MAX_RECHECK = Duration.ofSeconds(1);

    /** The outcome of one try: the acquired value, or a hint of when a retry could succeed. */
    public static final class Attempt<T> {
        private final T value;
        private final Duration retryHint;

        private Attempt(T value, Duration retryHint) {
            this.value = value;
            this.retryHint = retryHint;
        }

        public static <T> Attempt<T> acquired(T value) {
            return new Attempt<>(Objects.requireNonNull(value, "value"), null);
        }

        /** Not acquired; try again now. */
        public static <T> Attempt<T> retryNow() {
            return new Attempt<>(null, Duration.ZERO);
        }

        /** Not acquired; {@code hint} is e.g. the holder's remaining lease (zero or negative: unknown). */
        public static <T> Attempt<T> retryAfter(Duration hint) {
            return new Attempt<>(null, hint == null ? Duration.ZERO : hint);
        }

        public boolean isAcquired() {
            return value != null;
        }

        public T value() {
            return value;
        }

        public Duration retryHint() {
            return retryHint;
        }
    }

    private final Latchkey latchkey;
    private final String channel;
    private final long deadlineNanos;
    private final long maxRecheckNanos;
    private final boolean singleAttempt;
    private final Supplier<CompletableFuture<Attempt<T>>> attempt;
    private final Function<String, Attempt<T>> onMessage;
    private final Consumer<T> abandon;
    private final CompletableFuture<Optional<T>> result = new CompletableFuture<>();

    // guarded by this
    private boolean inFlight;
    private boolean wakePending;
    private boolean subscribing;
    private Notifications.Subscription subscription;
    private ScheduledFuture<?> recheck;
    private int attempts;

    private EventDrivenWait(Latchkey latchkey, String channel, Duration maxWait, Duration maxRecheck,
                            Supplier<CompletableFuture<Attempt<T>>> attempt,
                            Function<String, Attempt<T>> onMessage, Consumer<T> abandon) {
        this.latchkey = latchkey;
        this.channel = channel;
        long now = System.nanoTime();
        this.singleAttempt = maxWait.isZero();
        this.deadlineNanos = now + Math.min(maxWait.toNanos(), Long.MAX_VALUE / 4);
        this.maxRecheckNanos = maxRecheck.toNanos();
        this.attempt = attempt;
        this.onMessage = onMessage;
        this.abandon = abandon;
    }

    /**
     * Starts waiting. The future completes with the acquired value, with empty once {@code maxWait} has passed,
     * or exceptionally with a {@link LatchkeyException}. Cancelling it stops the wait; a value acquired by an
     * attempt still in flight is handed to {@code abandon} (which releases it).
     *
     * @param channel the pub/sub channel the holder's release publishes to
     * @param maxWait {@link Duration#ZERO} for a single attempt
     */
    public static <T> CompletableFuture<Optional<T>> start(Latchkey latchkey, String channel, Duration maxWait,
                                                           Supplier<CompletableFuture<Attempt<T>>> attempt,
                                                           Consumer<T> abandon) {
        return start(latchkey, channel, maxWait, DEFAULT_MAX_RECHECK, attempt, abandon);
    }

    /** As {@link #start(Latchkey, String, Duration, Supplier, Consumer)} with a custom fallback re-check bound. */
    public static <T> CompletableFuture<Optional<T>> start(Latchkey latchkey, String channel, Duration maxWait,
                                                           Duration maxRecheck,
                                                           Supplier<CompletableFuture<Attempt<T>>> attempt,
                                                           Consumer<T> abandon) {
        return begin(new EventDrivenWait<>(latchkey, channel, maxWait, maxRecheck, attempt, null, abandon));
    }

    /**
     * As {@link #start(Latchkey, String, Duration, Duration, Supplier, Consumer)}, for a primitive whose messages
     * say more than "try again": {@code onMessage} reads each message on the channel and returns
     * {@link Attempt#acquired} when the message itself grants the value (a hand-over), {@link Attempt#retryNow()}
     * to try again, or {@code null} when the message is not for this wait. It runs on a Lettuce event thread: it must
     * be quick and never block.
     *
     * <p>When another waiter of this client already listens to {@code channel}, this wait listens before its first
     * attempt, so a hand-over can never slip between the two and one round trip suffices.
     *
     * <p>All attempts and messages of one wait must stand for one request (one request id): a value seen after the
     * wait already delivered one is the same grant seen twice (by reply and by message) and is dropped, not
     * abandoned.
     */
    public static <T> CompletableFuture<Optional<T>> start(Latchkey latchkey, String channel, Duration maxWait,
                                                           Duration maxRecheck,
                                                           Supplier<CompletableFuture<Attempt<T>>> attempt,
                                                           Function<String, Attempt<T>> onMessage,
                                                           Consumer<T> abandon) {
        Objects.requireNonNull(onMessage, "onMessage");
        EventDrivenWait<T> wait = new EventDrivenWait<>(latchkey, channel, maxWait, maxRecheck, attempt, onMessage,
                abandon);
        if (!wait.singleAttempt) {
            Notifications.Subscription early = Internals.of(latchkey).notifications().subscribeIfActive(channel, wait::onMessage);
            synchronized (wait) {
                wait.subscription = early;
            }
        }
        return begin(wait);
    }

    private static <T> CompletableFuture<Optional<T>> begin(EventDrivenWait<T> wait) {
        wait.result.whenComplete((v, f) -> wait.cleanUp());
        wait.tryNow();
        return wait.result;
    }

    /**
     * Blocks until the wait ends. On interruption the wait is cancelled (anything acquired meanwhile is
     * released) and {@link InterruptedException} is thrown.
     */
    public static <T> Optional<T> awaitInterruptibly(CompletableFuture<Optional<T>> wait) throws InterruptedException {
        try {
            return wait.get();
        } catch (InterruptedException e) {
            wait.cancel(false);
            throw e;
        } catch (ExecutionException e) {
            throw Failures.translate(e.getCause());
        } catch (CancellationException e) {
            throw new io.latchkey.core.LatchkeyCancelledException("the wait was cancelled", e);
        }
    }

    private void tryNow() {
        synchronized (this) {
            if (result.isDone()) {
                return;
            }
            if (inFlight) {
                wakePending = true;
                return;
            }
            inFlight = true;
            wakePending = false;
            attempts++;
            if (recheck != null) {
                recheck.cancel(false);
                recheck = null;
            }
        }
        CompletableFuture<Attempt<T>> f;
        try {
            f = attempt.get();
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        f.whenComplete(this::onAttempt);
    }

    private void onAttempt(Attempt<T> outcome, Throwable failure) {
        if (failure != null) {
            synchronized (this) {
                inFlight = false;
            }
            result.completeExceptionally(Failures.translate(failure));
            return;
        }
        if (outcome.isAcquired()) {
            synchronized (this) {
                inFlight = false;
            }
            deliver(outcome.value());
            return;
        }
        boolean subscribeNow = false;
        boolean retryNow = false;
        synchronized (this) {
            inFlight = false;
            long remaining = deadlineNanos - System.nanoTime();
            if (result.isDone()) {
                return;
            }
            if (singleAttempt || remaining <= 0) {
                result.complete(Optional.empty());
                return;
            }
            if (subscription == null && !subscribing) {
                subscribing = true;
                subscribeNow = true;
            } else if (wakePending) {
                retryNow = true;
            } else {
                scheduleRecheck(outcome.retryHint(), remaining);
            }
        }
        if (subscribeNow) {
            subscribe(outcome.retryHint());
        } else if (retryNow) {
            tryNow();
        }
    }

    private void deliver(T value) {
        if (result.complete(Optional.of(value))) {
            return;
        }
        boolean delivered = !result.isCompletedExceptionally() && result.getNow(Optional.empty()).isPresent();
        if (!delivered) {
            abandon.accept(value); // the wait ended (cancelled, timed out) while this grant was on its way
        }
    }

    private void onMessage(String message) {
        Attempt<T> read;
        try {
            read = onMessage.apply(message);
        } catch (RuntimeException e) {
            read = Attempt.retryNow(); // an unreadable message still means something changed
        }
        if (read == null) {
            return;
        }
        if (read.isAcquired()) {
            deliver(read.value());
            return;
        }
        try {
            Internals.of(latchkey).scheduler().execute(this::tryNow); // attempts are not sent from the event thread
        } catch (RuntimeException e) {
            result.completeExceptionally(new io.latchkey.core.LatchkeyClosedException("Latchkey is closed", e));
        }
    }

    private void subscribe(Duration hint) {
        CompletableFuture<Notifications.Subscription> confirmed = onMessage == null
                ? Internals.of(latchkey).notifications().subscribe(channel, this::tryNow)
                : Internals.of(latchkey).notifications().subscribe(channel, this::onMessage);
        confirmed.whenComplete((sub, failure) -> {
            synchronized (this) {
                subscribing = false;
                if (sub != null) {
                    if (result.isDone()) {
                        sub.close();
                        return;
                    }
                    subscription = sub;
                }
            }
            if (failure != null) {
                // No wake-ups: the timer alone still ends the wait correctly, only later.
                synchronized (this) {
                    long remaining = deadlineNanos - System.nanoTime();
                    if (remaining <= 0) {
                        result.complete(Optional.empty());
                    } else {
                        scheduleRecheck(hint, remaining);
                    }
                }
                return;
            }
            tryNow(); // the try that closes the gap between the first attempt and the subscription
        });
    }

    private void scheduleRecheck(Duration hint, long remainingNanos) {
        long hintNanos = hint.isNegative() || hint.isZero() ? maxRecheckNanos : hint.toNanos();
        long base = Math.min(hintNanos, maxRecheckNanos);
        // a little jitter, so waiters released by the same expiry do not all arrive in the same millisecond
        long jitter = Backoff.jitter(base / 10 + 1_000_000L);
        long delay = Math.min(base + jitter, remainingNanos);
        try {
            recheck = Internals.of(latchkey).scheduler().schedule(this::tryNow, Math.max(delay, 0), TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) {
            result.completeExceptionally(new io.latchkey.core.LatchkeyClosedException("Latchkey is closed", e));
        }
    }

    private void cleanUp() {
        Notifications.Subscription sub;
        synchronized (this) {
            sub = subscription;
            subscription = null;
            if (recheck != null) {
                recheck.cancel(false);
                recheck = null;
            }
        }
        if (sub != null) {
            sub.close();
        }
    }

    /** How many attempts were made so far; for tests. */
    synchronized int attempts() {
        return attempts;
    }
}
