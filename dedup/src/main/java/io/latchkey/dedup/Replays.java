package io.latchkey.dedup;

import io.github.resilience4j.core.IntervalFunction;
import io.latchkey.core.Latchkey;
import io.latchkey.core.LatchkeyException;
import io.latchkey.core.LatchkeyTimeoutException;
import io.latchkey.core.LatchkeyUnavailableException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Re-sends an idempotent script (same claim id / owner token) after a failure whose outcome may be "it ran": a lost
 * connection or a timeout. Because the script recognises its own earlier run, the caller gets the true answer
 * ("first seen") instead of an error that would make a consumer redeliver and then see its own claim as a
 * duplicate. Not a compare-and-swap loop: the same request is sent again, with a short jittered backoff that lets
 * the connection come back.
 */
final class Replays {

    private static final IntervalFunction BACKOFF = Latchkey.backoff(Duration.ofMillis(10), Duration.ofMillis(200));

    private final Latchkey latchkey;
    private final int retries;

    Replays(Latchkey latchkey, int retries) {
        this.latchkey = latchkey;
        this.retries = retries;
    }

    <R> CompletableFuture<R> send(Supplier<CompletableFuture<R>> call) {
        CompletableFuture<R> result = new CompletableFuture<>();
        attempt(call, 0, false, result);
        return result;
    }

    private <R> void attempt(Supplier<CompletableFuture<R>> call, int done, boolean timedOut,
                             CompletableFuture<R> result) {
        CompletableFuture<R> f;
        try {
            f = call.get();
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        f.whenComplete((value, failure) -> {
            if (failure == null) {
                result.complete(value);
                return;
            }
            LatchkeyException e = LatchkeyException.translate(failure);
            boolean timeout = e instanceof LatchkeyTimeoutException;
            // a timeout already cost a whole command timeout: re-send after at most one, so a sync wait stays bounded
            boolean again = e instanceof LatchkeyUnavailableException || (timeout && !timedOut);
            if (!again || done >= retries || latchkey.isClosed()) {
                result.completeExceptionally(e);
                return;
            }
            try {
                latchkey.scheduler().schedule(() -> attempt(call, done + 1, timedOut || timeout, result),
                        BACKOFF.apply(done + 1), TimeUnit.MILLISECONDS);
            } catch (RuntimeException closed) {
                result.completeExceptionally(e);
            }
        });
    }
}
