package io.latchkey.semaphore;

import io.latchkey.core.LatchkeyException;
import io.latchkey.core.LeaseLostListener;
import io.latchkey.core.spi.Arguments;
import io.latchkey.core.spi.LeaseClock;
import io.latchkey.core.spi.Watchdog;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/** A permit; its local deadline runs from before the granting request was sent, minus a drift margin. */
final class RedisPermit implements Permit {

    private final RedisSemaphore semaphore;
    private final String id;
    private final AtomicBoolean lost = new AtomicBoolean();
    private final AtomicReference<CompletableFuture<Void>> release = new AtomicReference<>();
    private final LeaseClock clock;
    private volatile boolean released;
    private volatile Watchdog watchdog;

    RedisPermit(RedisSemaphore semaphore, String id, long sentNanos, long leaseNanos) {
        this.semaphore = semaphore;
        this.id = id;
        this.clock = new LeaseClock(sentNanos, leaseNanos, RedisPermit::drift);
    }

    /** Clock drift between client and server over a lease: 1% of it plus 2 ms, as Redlock assumes. */
    static long drift(long leaseNanos) {
        return leaseNanos / 100 + 2_000_000L;
    }

    void startWatchdog(AcquireOptions o) {
        LeaseLostListener user = o.leaseLostListener().orElse(null);
        long leaseMs = o.leaseTime().toMillis();
        watchdog = Watchdog.start(semaphore.latchkey().scheduler(), semaphore.name(), o.leaseTime(),
                o.maxHold().orElse(null), () -> extend(leaseMs), clock::isValid, (name, cause) -> {
                    if (!clock.isValid()) {
                        markLost(); // past its deadline: it expired (at maxHold the lease simply runs out)
                    }
                    if (user != null) {
                        user.leaseLost(name, cause);
                    }
                });
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String semaphoreName() {
        return semaphore.name();
    }

    @Override
    public Duration remaining() {
        if (released || lost.get()) {
            return Duration.ZERO;
        }
        return clock.remaining();
    }

    @Override
    public boolean isValid() {
        return !released && !lost.get() && clock.isValid();
    }

    @Override
    public boolean extend(Duration leaseTime) {
        return semaphore.await(extendAsync(leaseTime));
    }

    @Override
    public CompletableFuture<Boolean> extendAsync(Duration leaseTime) {
        return extend(Arguments.toMillis(leaseTime, "leaseTime"));
    }

    private CompletableFuture<Boolean> extend(long leaseMs) {
        if (released || lost.get()) {
            return CompletableFuture.completedFuture(false);
        }
        long sent = System.nanoTime();
        return semaphore.extend(id, leaseMs).thenApply(extended -> {
            if (extended) {
                clock.renewed(sent, leaseMs * 1_000_000L);
            } else {
                markLost();
            }
            return extended;
        });
    }

    private void markLost() {
        if (!released && lost.compareAndSet(false, true)) {
            semaphore.metrics().lost();
        }
    }

    @Override
    public void release() {
        semaphore.await(releaseAsync());
    }

    @Override
    public CompletableFuture<Void> releaseAsync() {
        while (true) {
            CompletableFuture<Void> current = release.get();
            if (current != null && !current.isCompletedExceptionally()) {
                return current; // released, or a release in flight: one script per permit
            }
            CompletableFuture<Void> mine = new CompletableFuture<>();
            if (release.compareAndSet(current, mine)) {
                send(mine);
                return mine;
            }
        }
    }

    private void send(CompletableFuture<Void> result) {
        Watchdog w = watchdog;
        // The watchdog stops (and its renewal in flight completes) before the release goes out, so no renewal
        // can follow the release.
        CompletableFuture<Void> stopped = w == null ? CompletableFuture.completedFuture(null) : w.stop();
        stopped.thenCompose(x -> semaphore.release(id)).whenComplete((outcome, failure) -> {
            if (failure != null) {
                result.completeExceptionally(LatchkeyException.translate(failure));
                return;
            }
            if (outcome != 1L) {
                markLost(); // it expired before we released it
            }
            released = true;
            result.complete(null);
        });
    }

    /**
     * Releases a permit nobody will see, without blocking (callers may be on a Redis I/O thread): watchdog stopped
     * first, like any release; if Redis is unreachable the release is retried in the background.
     */
    void abandon() {
        releaseAsync().exceptionally(f -> {
            semaphore.releaseEventually(id, clock.leaseEndNanos() + semaphore.latchkey().commandTimeout().toNanos());
            return null;
        });
    }

    @Override
    public void close() {
        try {
            release();
        } catch (RuntimeException e) {
            // close() never throws; the release keeps being retried in the background until it lands or the
            // permit has expired anyway
            if (!released) {
                // the server-side expiry is the local deadline plus the drift margin plus one round trip at most
                semaphore.releaseEventually(id, clock.leaseEndNanos()
                        + semaphore.latchkey().commandTimeout().toNanos());
            }
        }
    }

    @Override
    public String toString() {
        return "Permit[" + semaphore.name() + ", id=" + id + ", remaining=" + remaining() + "]";
    }
}
