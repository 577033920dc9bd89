package io.latchkey.lock;

import io.latchkey.core.LeaseRequest;
import io.latchkey.core.ReleaseResult;
import io.latchkey.core.Replication;
import io.latchkey.core.spi.Arguments;
import io.latchkey.core.spi.Internals;
import io.latchkey.core.spi.LeaseClock;
import io.latchkey.core.spi.LeaseState;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A lease of a {@link RedisLock}; its local life (deadline, release, loss, watchdog) is a core {@link LeaseState}. */
final class RedisLockLease implements LockLease {

    private final RedisLock lock;
    private final String owner;
    private final long token;
    private final LeaseState<ReleaseResult> state;
    private final long acquiredNanos = System.nanoTime();
    private volatile Replication replication = Replication.notRequested();

    RedisLockLease(RedisLock lock, String owner, long token, LeaseClock clock) {
        this.lock = lock;
        this.owner = owner;
        this.token = token;
        this.state = new LeaseState<>(clock, lock.metrics()::lost);
    }

    void startWatchdog(LeaseRequest r) {
        long leaseMs = r.leaseTime().toMillis();
        state.startWatchdog(Internals.of(lock.latchkey()).scheduler(), lock.name(), r.leaseTime(), r.maxHold().orElse(null),
                () -> extend(leaseMs).whenComplete((owned, failure) -> {
                    if (failure != null || !owned) {
                        lock.metrics().renewFailed();
                    }
                }),
                r.leaseLostListener().orElse(null));
    }

    @Override
    public String name() {
        return lock.name();
    }

    @Override
    public String id() {
        return owner;
    }

    @Override
    public Replication replication() {
        return replication;
    }

    /** Set once, before the caller sees the lease. */
    void replication(Replication replication) {
        this.replication = replication;
    }

    @Override
    public long fencingToken() {
        return token;
    }

    @Override
    public Duration remaining() {
        return state.remaining();
    }

    @Override
    public boolean isValid() {
        return state.isValid();
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
        return state.extend(leaseMs, ms -> lock.extendScript(owner, token, ms));
    }

    @Override
    public ReleaseResult release() {
        return lock.await(releaseAsync());
    }

    @Override
    public CompletableFuture<ReleaseResult> releaseAsync() {
        return state.release(this::releaseNow, ReleaseResult::wasHeld);
    }

    private CompletableFuture<ReleaseResult> releaseNow() {
        // a lease still valid here cannot expire before the script runs, which lets a re-sent release read right
        return lock.releaseScript(owner, state.isValid()).thenApply(outcome -> {
            if (outcome.wasHeld()) {
                lock.metrics().held(acquiredNanos);
            }
            return outcome;
        });
    }

    /** Releases a lease nobody will see, without blocking (callers may be on a Redis I/O thread). */
    void abandon() {
        state.stopWatchdog().whenComplete((x, f) -> lock.releaseEventually(owner, state.clock().leaseEndNanos()));
    }

    @Override
    public void close() {
        // the server-side expiry is at most the lease end plus one round trip
        state.close(this::release, () -> lock.releaseEventually(owner,
                state.clock().leaseEndNanos() + lock.latchkey().commandTimeout().toNanos()), this);
    }

    @Override
    public String toString() {
        return "LockLease[" + lock.name() + ", token=" + token + ", remaining=" + remaining() + "]";
    }
}
