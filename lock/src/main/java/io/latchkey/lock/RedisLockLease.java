package io.latchkey.lock;

import io.latchkey.core.LatchkeyException;
import io.latchkey.core.LeaseLostListener;
import io.latchkey.core.spi.Arguments;
import io.latchkey.core.spi.LeaseClock;
import io.latchkey.core.spi.Watchdog;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/** A lease of a {@link RedisLock}; its local deadline comes from a {@link LeaseClock}. */
final class RedisLockLease implements LockLease {

    private final RedisLock lock;
    private final String owner;
    private final long token;
    private final LeaseClock clock;
    private final long acquiredNanos = System.nanoTime();
    private final AtomicBoolean lost = new AtomicBoolean();
    private final AtomicReference<CompletableFuture<ReleaseResult>> release = new AtomicReference<>();
    private volatile long leaseEndNanos;
    private volatile boolean released;
    private volatile Watchdog watchdog;

    RedisLockLease(RedisLock lock, String owner, long token, LeaseClock clock, long leaseEndNanos) {
        this.lock = lock;
        this.owner = owner;
        this.token = token;
        this.clock = clock;
        this.leaseEndNanos = leaseEndNanos;
    }

    void startWatchdog(LockRequest r) {
        LeaseLostListener user = r.leaseLostListener().orElse(null);
        long leaseMs = r.leaseTime().toMillis();
        watchdog = Watchdog.start(lock.latchkey().scheduler(), lock.name(), r.leaseTime(), r.maxHold().orElse(null),
                () -> extend(leaseMs).whenComplete((owned, failure) -> {
                    if (failure != null || !owned) {
                        lock.metrics().renewFailed();
                    }
                }),
                clock::isValid,
                (name, cause) -> {
                    if (!clock.isValid()) {
                        markLost(); // past the local deadline (at maxHold the lease simply runs out)
                    }
                    if (user != null) {
                        user.leaseLost(name, cause);
                    }
                });
    }

    @Override
    public String lockName() {
        return lock.name();
    }

    @Override
    public String ownerId() {
        return owner;
    }

    @Override
    public long fencingToken() {
        return token;
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
        return lock.await(extendAsync(leaseTime));
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
        return lock.extendScript(owner, token, leaseMs).thenApply(extended -> {
            if (extended) {
                long leaseNanos = TimeUnit.MILLISECONDS.toNanos(leaseMs);
                clock.renewed(sent, leaseNanos);
                leaseEndNanos = sent + leaseNanos;
            } else {
                markLost();
            }
            return extended;
        });
    }

    private void markLost() {
        if (!released && release.get() == null && lost.compareAndSet(false, true)) {
            lock.metrics().lost();
        }
    }

    @Override
    public ReleaseResult release() {
        return lock.await(releaseAsync());
    }

    @Override
    public CompletableFuture<ReleaseResult> releaseAsync() {
        while (true) {
            CompletableFuture<ReleaseResult> current = release.get();
            if (current != null && !current.isCompletedExceptionally()) {
                return current; // released, or a release in flight: one script per lease
            }
            CompletableFuture<ReleaseResult> mine = new CompletableFuture<>();
            if (release.compareAndSet(current, mine)) {
                send(mine);
                return mine;
            }
        }
    }

    private void send(CompletableFuture<ReleaseResult> result) {
        Watchdog w = watchdog;
        // The watchdog stops, and a renewal in flight completes, before the release goes out: no renewal can
        // follow the release.
        CompletableFuture<Void> stopped = w == null ? CompletableFuture.completedFuture(null) : w.stop();
        stopped.thenCompose(x -> releaseNow()).whenComplete((outcome, failure) -> {
            if (failure != null) {
                result.completeExceptionally(LatchkeyException.translate(failure));
                return;
            }
            if (outcome.wasHeld()) {
                lock.metrics().held(acquiredNanos);
            } else if (!lost.get() && lost.compareAndSet(false, true)) {
                lock.metrics().lost(); // it expired or was taken over before we released it
            }
            released = true;
            result.complete(outcome);
        });
    }

    private CompletableFuture<ReleaseResult> releaseNow() {
        // a lease still valid here cannot expire before the script runs, which lets a re-sent release read right
        return lock.releaseScript(owner, clock.isValid() && !lost.get());
    }

    /** Releases a lease nobody will see, without blocking (callers may be on a Redis I/O thread). */
    void abandon() {
        Watchdog w = watchdog;
        CompletableFuture<Void> stopped = w == null ? CompletableFuture.completedFuture(null) : w.stop();
        stopped.whenComplete((x, f) -> lock.releaseEventually(owner, leaseEndNanos));
    }

    @Override
    public void close() {
        try {
            release();
        } catch (RuntimeException ignored) {
            // close() never throws: the lock expires at the end of its lease
        }
    }

    @Override
    public String toString() {
        return "LockLease[" + lock.name() + ", token=" + token + ", remaining=" + remaining() + "]";
    }
}
