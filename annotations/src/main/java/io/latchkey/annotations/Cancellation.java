package io.latchkey.annotations;

import java.util.concurrent.CompletableFuture;

/**
 * One asynchronous call's cancel signal (the caller cancelled the returned future, or a reactive subscriber
 * cancelled): cancels the wait in flight — a lock or permit acquisition, a rate-limit wait, a reactive method's
 * work — and stops the chain from going deeper. What is already held is released by the steps as on a failure.
 */
final class Cancellation {

    private boolean cancelled;
    private CompletableFuture<?> current;

    /** Makes {@code f} the wait a cancel cancels (at once if already cancelled); returns {@code f}. */
    <F extends CompletableFuture<?>> F track(F f) {
        boolean cancelNow;
        synchronized (this) {
            cancelNow = cancelled;
            if (!cancelNow) {
                current = f;
            }
        }
        if (cancelNow) {
            f.cancel(false);
        }
        return f;
    }

    void cancel() {
        CompletableFuture<?> c;
        synchronized (this) {
            if (cancelled) {
                return;
            }
            cancelled = true;
            c = current;
            current = null;
        }
        if (c != null) {
            c.cancel(false);
        }
    }

    synchronized boolean isCancelled() {
        return cancelled;
    }
}
