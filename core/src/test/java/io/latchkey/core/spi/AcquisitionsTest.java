package io.latchkey.core.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.LatchkeyException;
import io.latchkey.core.LatchkeyTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** Pure logic: the wait's future stands in for an {@link EventDrivenWait}. */
class AcquisitionsTest {

    /** Records outcomes and, in the same list, what happened to leases, so the order is visible. */
    private static final class Recorder implements Acquisitions.Outcomes {
        final List<String> events = new ArrayList<>();

        @Override
        public synchronized void acquired(long startNanos) {
            events.add("acquired");
        }

        @Override
        public synchronized void notAcquired(long startNanos) {
            events.add("notAcquired");
        }

        @Override
        public synchronized void failed(long startNanos) {
            events.add("failed");
        }

        @Override
        public synchronized void cancelled(long startNanos) {
            events.add("cancelled");
        }

        synchronized void add(String event) {
            events.add(event);
        }
    }

    private final Recorder rec = new Recorder();
    private final CompletableFuture<Optional<String>> wait = new CompletableFuture<>();
    private final CompletableFuture<Optional<CharSequence>> out = Acquisitions.deliver(wait, System.nanoTime(), rec,
            lease -> rec.add("prepare " + lease), lease -> rec.add("abandon " + lease));

    @Test
    void aLeaseIsPreparedBeforeTheCallerSeesIt() throws Exception {
        wait.complete(Optional.of("L1"));
        assertEquals(Optional.of("L1"), out.get());
        assertEquals(List.of("prepare L1", "acquired"), rec.events);
    }

    @Test
    void emptyMeansNotAcquired() throws Exception {
        wait.complete(Optional.empty());
        assertEquals(Optional.empty(), out.get());
        assertEquals(List.of("notAcquired"), rec.events);
    }

    @Test
    void failuresAreTranslated() {
        LatchkeyTimeoutException timeout = new LatchkeyTimeoutException("slow", null);
        wait.completeExceptionally(timeout);
        ExecutionException e = assertThrows(ExecutionException.class, out::get);
        assertSame(timeout, e.getCause());
        assertEquals(List.of("failed"), rec.events);

        CompletableFuture<Optional<String>> w2 = new CompletableFuture<>();
        CompletableFuture<Optional<String>> o2 = Acquisitions.deliver(w2, 0L, rec, l -> { }, l -> { });
        w2.completeExceptionally(new IllegalStateException("boom"));
        ExecutionException e2 = assertThrows(ExecutionException.class, o2::get);
        assertInstanceOf(LatchkeyException.class, e2.getCause());
    }

    @Test
    void cancellingTheCallersFutureCancelsTheWait() {
        assertTrue(out.cancel(false));
        assertTrue(wait.isCancelled(), "the wait stops, and its own abandon hook releases a late grant");
        assertEquals(List.of("cancelled"), rec.events, "recorded once");
    }

    @Test
    void aCancelledWaitCancelsTheCaller() {
        wait.cancel(false);
        assertTrue(out.isCancelled());
        assertEquals(List.of("cancelled"), rec.events);
    }

    @Test
    void aLeaseArrivingAfterTheCallerGaveUpIsAbandoned() {
        // the caller's future is completed some other way (e.g. a sync timeout) while the grant is on its way
        CompletableFuture<Optional<String>> w = new CompletableFuture<>();
        CompletableFuture<Optional<String>> o = Acquisitions.deliver(w, 0L, rec,
                lease -> rec.add("prepare " + lease), lease -> rec.add("abandon " + lease));
        o.complete(Optional.empty());
        w.complete(Optional.of("L2"));
        assertEquals(List.of("prepare L2", "cancelled", "abandon L2"), rec.events);
        assertFalse(w.isCancelled());
    }
}
