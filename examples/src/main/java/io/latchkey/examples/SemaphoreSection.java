package io.latchkey.examples;

import io.latchkey.semaphore.DistributedSemaphore;
import io.latchkey.semaphore.Permit;
import io.latchkey.semaphore.SemaphoreStats;
import io.latchkey.semaphore.Semaphores;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/** Upload workers across the fleet share three slots of a storage backend. */
final class SemaphoreSection implements Section {

    private static final int SLOTS = 3;
    private static final int UPLOADS = 8;

    @Override
    public String title() {
        return "Uploads bounded by a semaphore";
    }

    @Override
    public void run(Fleet fleet, Narrator say) throws Exception {
        DistributedSemaphore uploads = Semaphores.of(fleet.main()).semaphore("uploads", SLOTS);
        say.say("The storage backend takes at most %d uploads at a time; %d arrive together.", SLOTS, UPLOADS);
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger observedPeak = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(UPLOADS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 1; i <= UPLOADS; i++) {
                int upload = i;
                done.add(pool.submit(() -> {
                    Permit permit = uploads.tryAcquire(Duration.ofSeconds(30), Duration.ofSeconds(30))
                            .orElseThrow(() -> new IllegalStateException("upload-" + upload + " got no slot"));
                    try {
                        int now = inFlight.incrementAndGet();
                        observedPeak.accumulateAndGet(now, Math::max);
                        say.say("upload-%d starts   (%d of %d slots busy)", upload, now, SLOTS);
                        Thread.sleep(120); // sending the file
                        inFlight.decrementAndGet();
                        say.say("upload-%d finished", upload);
                    } finally {
                        permit.release();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        SemaphoreStats stats = uploads.stats();
        if (observedPeak.get() > SLOTS || stats.peak() > SLOTS) {
            throw new IllegalStateException("more than " + SLOTS + " uploads ran at once");
        }
        say.say("All %d uploads done; never more than %d at once (seen here: %d, the semaphore's own peak: %d).",
                UPLOADS, SLOTS, observedPeak.get(), stats.peak());
        say.say("Slots free again: %d of %d.", uploads.availablePermits(), SLOTS);
    }
}
