package io.latchkey.semaphore;

import io.latchkey.core.LeaseRequest;
import io.latchkey.core.ReleaseResult;
import io.latchkey.core.Replication;
import io.latchkey.core.spi.Arguments;
import io.latchkey.core.spi.Internals;
import io.latchkey.core.spi.LeaseClock;
import io.latchkey.core.spi.LeaseState;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A permit; its local deadline runs from before the granting request was sent, minus a drift margin. */
final class RedisPermit implements Permit {

    private final RedisSemaphore semaphore;
    private final String id;
    /** Its local life (deadline, release, loss, watchdog). */
    private final LeaseState<ReleaseResult> state;
    private volatile Replication replication = Replication.notRequested();

    RedisPermit(RedisSemaphore semaphore, String id, long sentNanos, long leaseNanos) {
        this.semaphore = semaphore;
        this.id = id;
        this.state = new LeaseState<>(new LeaseClock(sentNanos, leaseNanos, RedisPermit::drift),
                semaphore.metrics()::lost);
    }

    /** Clock drift between client and server over a lease: 1% of it plus 2 ms, as Redlock assumes. */
    static long drift(long leaseNanos) {
        return leaseNanos / 100 + 2_000_000L;
    }

    void startWatchdog(LeaseRequest o) {
        long leaseMs = o.leaseTime().toMillis();
        state.startWatchdog(Internals.of(semaphore.latchkey()).scheduler(), semaphore.name(), o.leaseTime(),
                o.maxHold().orElse(null), () -> extend(leaseMs), o.leaseLostListener().orElse(null));
    }

    @Override
    public Replication replication() {
        return replication;
    }

    /** Set once, before the caller sees the permit. */
    void replication(Replication replication) {
        this.replication = replication;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String name() {
        return semaphore.name();
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
        return semaphore.await(extendAsync(leaseTime));
    }

    @Override
    public CompletableFuture<Boolean> extendAsync(Duration leaseTime) {
        return extend(Arguments.toMillis(leaseTime, "leaseTime"));
    }

    private CompletableFuture<Boolean> extend(long leaseMs) {
        return state.extend(leaseMs, ms -> semaphore.extend(id, ms));
    }

    @Override
    public ReleaseResult release() {
        return semaphore.await(releaseAsync());
    }

    @Override
    public CompletableFuture<ReleaseResult> releaseAsync() {
        return state.release(() -> semaphore.release(id).thenApply(RedisPermit::releaseResult),
                ReleaseResult::wasHeld);
    }

    /** The release script's 1 (released); 0 (not held) and -1 (had expired) both mean the permit was gone. */
    static ReleaseResult releaseResult(long outcome) {
        return outcome == 1L ? ReleaseResult.RELEASED : ReleaseResult.ALREADY_GONE;
    }

    /**
     * Releases a permit nobody will see, without blocking (callers may be on a Redis I/O thread): watchdog stopped
     * first, like any release; if Redis is unreachable the release is retried in the background.
     */
    void abandon() {
        releaseAsync().exceptionally(f -> {
            semaphore.releaseEventually(id,
                state.clock().leaseEndNanos() + semaphore.latchkey().commandTimeout().toNanos());
            return null;
        });
    }

    @Override
    public void close() {
        // the server-side expiry is the local deadline plus the drift margin plus one round trip at most
        state.close(this::release, () -> semaphore.releaseEventually(id, state.clock().leaseEndNanos()
                + semaphore.latchkey().commandTimeout().toNanos()), this);
    }

    @Override
    public String toString() {
        return "Permit[" + semaphore.name() + ", id=" + id + ", remaining=" + remaining() + "]";
    }
}
