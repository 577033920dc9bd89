package io.latchkey.core.spi;

import io.latchkey.core.LatchkeyException;
import io.latchkey.core.LeaseLostException;
import io.latchkey.core.LeaseLostListener;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Opt-in lease renewal shared by locks and semaphores: renews every third of the lease on the client's one
 * scheduler, reports a lost lease once, and is stopped before the lease's release goes out ({@link #stop()}
 * waits for a renewal already in flight, so none is sent after the release). Renewal is an owner-checked
 * re-expire that never creates a key, so a renewal racing a release cannot resurrect the lock.
 */
public final class Watchdog {

    private static final System.Logger LOG = System.getLogger(Watchdog.class.getName());

    private final ScheduledExecutorService scheduler;
    private final String name;
    private final long intervalNanos;
    private final long maxHoldDeadline;
    private final Supplier<CompletableFuture<Boolean>> renew;
    private final BooleanSupplier locallyValid;
    private final LeaseLostListener listener;
    private final AtomicBoolean lostReported = new AtomicBoolean();

    // guarded by this
    private boolean stopped;
    private ScheduledFuture<?> next;
    private CompletableFuture<Boolean> inFlight;
    private long renewals;

    private Watchdog(ScheduledExecutorService scheduler, String name, Duration lease, Duration maxHold,
                     Supplier<CompletableFuture<Boolean>> renew, BooleanSupplier locallyValid,
                     LeaseLostListener listener) {
        this.scheduler = scheduler;
        this.name = name;
        this.intervalNanos = Math.max(lease.toNanos() / 3, TimeUnit.MILLISECONDS.toNanos(1));
        this.maxHoldDeadline = maxHold == null ? Long.MAX_VALUE : System.nanoTime() + maxHold.toNanos();
        this.renew = renew;
        this.locallyValid = locallyValid;
        this.listener = listener == null ? (n, c) -> { } : listener;
    }

    /**
     * Starts renewing.
     *
     * @param renew        sends one owner-checked renewal for the full lease; true if still owned
     * @param locallyValid whether the lease is still inside its local deadline (after a failed renewal)
     * @param maxHold      stop renewing after this long (null: until released); the lease then expires on its own
     */
    public static Watchdog start(ScheduledExecutorService scheduler, String name, Duration lease, Duration maxHold,
                                 Supplier<CompletableFuture<Boolean>> renew, BooleanSupplier locallyValid,
                                 LeaseLostListener listener) {
        Watchdog w = new Watchdog(scheduler, name, lease, maxHold, renew, locallyValid, listener);
        synchronized (w) {
            w.schedule(w.intervalNanos);
        }
        return w;
    }

    private void schedule(long delayNanos) {
        long delay = Math.min(delayNanos, Math.max(0, maxHoldDeadline - System.nanoTime()));
        try {
            next = scheduler.schedule(this::tick, delay, TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) {
            stopped = true; // client closed
        }
    }

    private void tick() {
        CompletableFuture<Boolean> call;
        synchronized (this) {
            if (stopped) {
                return;
            }
            if (System.nanoTime() >= maxHoldDeadline) {
                stopped = true;
                reportLost(new LeaseLostException("maximum hold time reached for " + name
                        + ": the watchdog stopped renewing and the lease will expire", null));
                return;
            }
            try {
                call = renew.get();
            } catch (RuntimeException e) {
                call = CompletableFuture.failedFuture(e);
            }
            inFlight = call;
        }
        call.whenComplete((owned, failure) -> {
            synchronized (this) {
                inFlight = null;
                if (stopped) {
                    return;
                }
                if (failure == null && Boolean.TRUE.equals(owned)) {
                    renewals++;
                    schedule(intervalNanos);
                    return;
                }
                if (failure == null) {
                    stopped = true;
                } else if (!locallyValid.getAsBoolean()) {
                    stopped = true;
                } else {
                    schedule(intervalNanos / 3); // transient failure: try again sooner, while the lease still holds
                    return;
                }
            }
            reportLost(failure == null
                    ? new LeaseLostException("lease of " + name + " was lost: it expired or was taken over", null)
                    : new LeaseLostException("lease of " + name + " was lost: Redis could not renew it before its"
                            + " local deadline", Failures.translate(failure)));
        });
    }

    private void reportLost(Throwable cause) {
        if (lostReported.compareAndSet(false, true)) {
            try {
                listener.leaseLost(name, cause);
            } catch (RuntimeException e) {
                // a listener's failure must not kill the scheduler thread
                LOG.log(System.Logger.Level.WARNING, "the lease-lost listener of " + name + " threw", e);
            }
        }
    }

    /**
     * Stops renewing. The returned future completes once no renewal is in flight, after which none will be sent.
     */
    public CompletableFuture<Void> stop() {
        CompletableFuture<Boolean> pending;
        synchronized (this) {
            stopped = true;
            if (next != null) {
                next.cancel(false);
            }
            pending = inFlight;
        }
        return pending == null ? CompletableFuture.completedFuture(null)
                : pending.handle((v, f) -> null);
    }

    /** Whether it is still renewing. */
    public synchronized boolean isRunning() {
        return !stopped;
    }

    /** Successful renewals so far. */
    public synchronized long renewals() {
        return renewals;
    }
}
