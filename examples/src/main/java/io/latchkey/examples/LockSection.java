package io.latchkey.examples;

import io.latchkey.core.ReleaseResult;
import io.latchkey.lock.DistributedLock;
import io.latchkey.lock.FencedResource;
import io.latchkey.lock.LockLease;
import io.latchkey.lock.Locks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Billing workers compete for the nightly invoice job; fencing tokens keep a stalled worker from doing harm. */
final class LockSection implements Section {

    private static final int WORKERS = 4;

    @Override
    public String title() {
        return "Workers competing for a lock, with fencing tokens";
    }

    @Override
    public void run(Fleet fleet, Narrator say) throws Exception {
        Locks locks = Locks.of(fleet.main());
        DistributedLock job = locks.lock("job:invoices");
        FencedResource ledger = locks.fencedResource("ledger");
        Duration ttl = Duration.ofMinutes(10);

        say.say("%d billing workers start at once; each wants the lock \"%s\" to run the invoice job.", WORKERS,
                job.name());
        List<Long> tokens = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 1; i <= WORKERS; i++) {
                int worker = i;
                done.add(pool.submit(() -> {
                    long start = System.nanoTime();
                    Optional<LockLease> acquired = job.tryAcquire(Duration.ofSeconds(10), Duration.ofSeconds(20));
                    try (LockLease lease = acquired.orElseThrow(
                            () -> new IllegalStateException("worker-" + worker + " never got the lock"))) {
                        tokens.add(lease.fencingToken());
                        boolean written = ledger.write("invoices", "run by worker-" + worker, lease.fencingToken(),
                                ttl);
                        say.say("worker-%d holds the lock after waiting %3d ms; fencing token %d; ledger write %s",
                                worker, (System.nanoTime() - start) / 1_000_000, lease.fencingToken(),
                                written ? "accepted" : "REJECTED");
                        Thread.sleep(60); // the job itself
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
        List<Long> sorted = new ArrayList<>(tokens);
        Collections.sort(sorted);
        if (!sorted.equals(tokens) || sorted.stream().distinct().count() != WORKERS) {
            throw new IllegalStateException("fencing tokens did not strictly increase: " + tokens);
        }
        say.say("One holder at a time, and each new holder got a larger token than the one before.");

        say.blank();
        say.say("Now a worker stalls: it takes the lock with a 300 ms lease, then freezes in a long GC pause.");
        LockLease stalled = job.tryAcquire(Duration.ofMillis(300)).orElseThrow();
        say.say("worker-slow holds the lock, token %d", stalled.fencingToken());
        long waitStart = System.nanoTime();
        LockLease fresh = job.tryAcquire(Duration.ofSeconds(10), Duration.ofSeconds(5)).orElseThrow(
                () -> new IllegalStateException("the lease of the stalled worker did not run out"));
        say.say("worker-2 was waiting; %d ms later the stalled lease ran out and worker-2 took over, token %d",
                (System.nanoTime() - waitStart) / 1_000_000, fresh.fencingToken());
        say.say("worker-2 writes the ledger: %s",
                ledger.write("invoices", "run by worker-2", fresh.fencingToken(), ttl) ? "accepted" : "REJECTED");
        say.say("worker-slow wakes up (its lease object says isValid() = %s) and writes anyway with token %d:",
                stalled.isValid(), stalled.fencingToken());
        boolean staleWrite = ledger.write("invoices", "run by worker-slow", stalled.fencingToken(), ttl);
        if (staleWrite) {
            throw new IllegalStateException("a stale token was accepted");
        }
        say.say("  the ledger rejects it: it already saw token %d; it keeps \"%s\"", fresh.fencingToken(),
                ledger.read("invoices").map(FencedResource.FencedValue::value).orElse("?"));
        ReleaseResult late = stalled.release();
        say.say("worker-slow's release finds the lock %s and leaves worker-2's lock alone", late);
        say.say("worker-2 releases: %s", fresh.release());
    }
}
