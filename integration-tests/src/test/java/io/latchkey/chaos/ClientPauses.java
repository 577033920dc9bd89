package io.latchkey.chaos;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The "client pause" fault (a stop-the-world GC or a VM freeze): the nemesis asks for one, and the chosen client
 * takes it at its next critical section, after it has checked its lease and before it writes.
 */
final class ClientPauses {

    /** A requested pause; {@code done} completes with {start, end} on the history clock once it was taken. */
    private record Request(Duration length, CompletableFuture<long[]> done) {
    }

    private final Map<Integer, Request> pending = new ConcurrentHashMap<>();

    CompletableFuture<long[]> request(int client, Duration length) {
        Request r = new Request(length, new CompletableFuture<>());
        Request prev = pending.put(client, r);
        if (prev != null) {
            prev.done.cancel(false);
        }
        return r.done;
    }

    void cancel(int client) {
        Request r = pending.remove(client);
        if (r != null) {
            r.done.cancel(false);
        }
    }

    void cancelAll() {
        pending.keySet().forEach(this::cancel);
    }

    /** Called by a worker inside its critical section: stalls the thread if a pause is pending for it. */
    void maybePause(int client, History history) {
        Request r = pending.remove(client);
        if (r == null || r.done.isDone()) {
            return;
        }
        long start = history.now();
        long until = System.nanoTime() + r.length.toNanos();
        // this stall IS the injected fault, not a synchronisation wait
        for (long left; (left = until - System.nanoTime()) > 0; ) {
            LockSupport.parkNanos(left);
        }
        r.done.complete(new long[] {start, history.now()});
    }

    static Duration millis(double ms) {
        return Duration.ofNanos((long) (ms * TimeUnit.MILLISECONDS.toNanos(1)));
    }
}
