package io.latchkey.lock;

import io.latchkey.core.spi.Failures;
import io.latchkey.core.Latchkey;
import io.latchkey.core.LatchkeyException;
import io.latchkey.core.LatchkeyTimeoutException;
import io.latchkey.core.LeaseRequest;
import io.latchkey.core.ReleaseResult;
import io.latchkey.core.spi.Acquisitions;
import io.latchkey.core.spi.EventDrivenWait;
import io.latchkey.core.spi.EventDrivenWait.Attempt;
import io.latchkey.core.spi.Ids;
import io.latchkey.core.spi.Internals;
import io.latchkey.core.spi.LeaseClock;
import io.latchkey.core.spi.LockMetrics;
import io.latchkey.core.spi.LuaScript;
import io.latchkey.core.spi.ReplicaWait;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A single-instance lease lock: {@code <ns>:{name}:lock} is a hash {owner, token} that expires with the lease,
 * {@code <ns>:{name}:fence} the fencing counter, {@code <ns>:{name}:queue} and {@code <ns>:{name}:waiters} the
 * waiters in arrival order, {@code <ns>:{name}:released} the channel that tells a waiter the lock was handed to it.
 *
 * <p>Whoever frees the lock hands it to the first live waiter in the same script (see {@code lock-queue.lua}), so
 * a release wakes exactly one waiter, which already holds the lock when its message arrives: no herd of waiters
 * racing for it, no extra round trip, arrival order kept.
 */
final class RedisLock implements DistributedLock {

    private static final String[] QUEUE = {"lock-grant.lua", "lock-queue.lua"};
    static final LuaScript ACQUIRE = LuaScript.load(Locks.class, QUEUE, "lock-acquire.lua");
    static final LuaScript RELEASE = LuaScript.load(Locks.class, QUEUE, "lock-release.lua");
    static final LuaScript FORCE_RELEASE = LuaScript.load(Locks.class, QUEUE, "lock-force-release.lua");
    static final LuaScript EXTEND = LuaScript.load(Locks.class, "lock-extend.lua");
    static final LuaScript HOLDER = LuaScript.load(Locks.class, "lock-holder.lua");

    /**
     * How long a queued waiter's entry outlives its latest attempt, beyond its next re-check: a waiter that
     * vanished (crashed, paused) is skipped after this instead of being handed a lease nobody uses.
     */
    private static final long QUEUE_GRACE_MS = 1_000;

    private final Latchkey latchkey;
    private final String name;
    private final LockOptions options;
    private final String lockKey;
    private final String[] queueKeys;
    private final String[] lockKeys;
    private final String channel;
    private final String counterTtlMs;
    private final LockMetrics metrics;
    private final ReplicaWait replicaWait;

    RedisLock(Latchkey latchkey, String name, LockOptions options) {
        this.latchkey = latchkey;
        this.name = name;
        this.options = options;
        this.lockKey = Internals.of(latchkey).keys().key(name, "lock");
        this.queueKeys = new String[] {lockKey, Internals.of(latchkey).keys().key(name, "fence"),
                Internals.of(latchkey).keys().key(name, "queue"), Internals.of(latchkey).keys().key(name, "waiters")};
        this.lockKeys = new String[] {lockKey};
        this.channel = Internals.of(latchkey).keys().key(name, "released");
        this.counterTtlMs = Long.toString(options.fencingCounterTtl().toMillis());
        this.metrics = new LockMetrics(latchkey.meterRegistry(), LockMetrics.PREFIX, LockMetrics.group(name, options.metricsGroup()));
        this.replicaWait = ReplicaWait.of(latchkey, "lock " + name, options.replicas(), options.replicaTimeout(),
                options.onUnreplicated(), Internals.of(latchkey).keys().key(name, "replicated"));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Optional<LockLease> tryAcquire(Duration leaseTime) {
        CompletableFuture<Optional<LockLease>> f = acquire(LeaseRequest.of(leaseTime));
        try {
            return Internals.of(latchkey).redis().await(f);
        } catch (LatchkeyException e) {
            f.cancel(false); // a lease granted after we gave up is released by the abandon hook
            throw e;
        }
    }

    @Override
    public Optional<LockLease> tryAcquire(LeaseRequest request) throws InterruptedException {
        return EventDrivenWait.awaitInterruptibly(tryAcquireAsync(request));
    }

    @Override
    public CompletableFuture<Optional<LockLease>> tryAcquireAsync(LeaseRequest request) {
        Objects.requireNonNull(request, "request");
        return acquire(request);
    }

    private CompletableFuture<Optional<LockLease>> acquire(LeaseRequest r) {
        long start = System.nanoTime();
        // One owner id for the whole call: a replayed or late-landing attempt, or a hand-over, is recognised as
        // ours, and one owner-checked release covers every attempt and the queue entry.
        String owner = Ids.newId();
        long leaseMs = r.leaseTime().toMillis();
        long leaseNanos = TimeUnit.MILLISECONDS.toNanos(leaseMs);
        boolean waits = !r.maxWait().isZero();
        long deadline = start + Math.min(r.maxWait().toNanos(), Long.MAX_VALUE / 4);
        long queueGraceMs = options.maxRecheck().toMillis() * 2 + QUEUE_GRACE_MS;
        // A hand-over happened after the latest attempt Redis refused (and after the first attempt, which queued
        // us): the earliest instant its lease can have started, in our clock.
        AtomicLong grantedNotBefore = new AtomicLong(Long.MIN_VALUE);
        AtomicBoolean queued = new AtomicBoolean();
        AtomicBoolean left = new AtomicBoolean();
        long leaveUntil = leaseNanos + TimeUnit.MILLISECONDS.toNanos(queueGraceMs);
        AtomicBoolean waited = new AtomicBoolean();
        Supplier<CompletableFuture<Attempt<RedisLockLease>>> attempt = () -> {
            long sent = System.nanoTime();
            grantedNotBefore.compareAndSet(Long.MIN_VALUE, sent);
            long window = waits ? Math.min(TimeUnit.NANOSECONDS.toMillis(deadline - sent), queueGraceMs) : 0;
            if (window > 0) {
                queued.set(true);
            }
            return acquireScript(owner, leaseMs, window).handle((reply, failure) -> {
                if (failure != null) {
                    LatchkeyException e = Failures.translate(failure);
                    if (e instanceof LatchkeyTimeoutException) {
                        // "Maybe acquired": a grant landing late would otherwise stay a phantom holder for a
                        // whole lease. (Unavailable means it was never executed: nothing to release.)
                        releaseEventually(owner, sent + leaseNanos + TimeUnit.MILLISECONDS.toNanos(window));
                    }
                    throw e;
                }
                long remainingMs = number(reply, 2);
                if (number(reply, 0) == 1) {
                    // a replay or a hand-over reports the time left, which can only be shorter than the lease
                    long granted = remainingMs > 0 ? Math.min(leaseMs, remainingMs) : leaseMs;
                    return Attempt.acquired(lease(owner, number(reply, 1), sent,
                            TimeUnit.MILLISECONDS.toNanos(granted)));
                }
                if (window > 0 && left.get()) {
                    // landed after we left the queue (a re-send, a NOSCRIPT fallback) and queued us again
                    releaseEventually(owner, System.nanoTime() + leaveUntil);
                }
                grantedNotBefore.accumulateAndGet(sent, Math::max);
                if (waits && waited.compareAndSet(false, true)) {
                    metrics.waited();
                }
                return Attempt.<RedisLockLease>retryAfter(Duration.ofMillis(Math.max(0, remainingMs)));
            });
        };
        Function<String, Attempt<RedisLockLease>> handOver = message -> {
            int space = message.indexOf(' ');
            if (space != owner.length() || !message.startsWith(owner)) {
                return null; // handed to another waiter
            }
            long token = Long.parseLong(message, space + 1, message.length(), 10);
            long from = grantedNotBefore.get();
            if (from + leaseNanos - System.nanoTime() < leaseNanos / 2) {
                // we cannot tell how long ago it was handed over: ask Redis (one round trip) for the time left
                return Attempt.retryNow();
            }
            return Attempt.acquired(lease(owner, token, from, leaseNanos));
        };
        CompletableFuture<Optional<RedisLockLease>> wait = EventDrivenWait.start(latchkey, channel, r.maxWait(),
                options.maxRecheck(), attempt, handOver, RedisLockLease::abandon);
        CompletableFuture<Optional<RedisLockLease>> granted = replicaWait.after(wait, RedisLockLease::replication,
                metrics::unreplicated, RedisLockLease::abandon);
        wait.whenComplete((lease, failure) -> {
            if (queued.get() && (failure != null || lease.isEmpty())) {
                // leave the queue (and release a hand-over nobody will see); entries also die on their own
                left.set(true);
                releaseEventually(owner, System.nanoTime() + leaveUntil);
            }
        });
        return Acquisitions.deliver(granted, start, metrics.acquires(), lease -> {
            if (r.watchdog()) {
                lease.startWatchdog(r); // before the caller can see (and release) the lease
            }
        }, RedisLockLease::abandon);
    }

    private RedisLockLease lease(String owner, long token, long fromNanos, long grantedNanos) {
        return new RedisLockLease(this, owner, token, new LeaseClock(fromNanos, grantedNanos, options::driftNanos));
    }

    private static long number(List<Object> reply, int index) {
        return ((Number) reply.get(index)).longValue();
    }

    // --- one script per operation

    /**
     * {acquired 0|1, token, remaining ms (ours, or the holder's)}; with {@code queueMs > 0} a refused owner is
     * queued (or its entry refreshed) for that long. Re-sent by core with the same owner id when the connection
     * drops under it: the script answers a request it already granted with the same lease and token.
     */
    CompletableFuture<List<Object>> acquireScript(String owner, long leaseMs, long queueMs) {
        return Internals.of(latchkey).redis().evalIdempotent(ACQUIRE, ScriptOutputType.MULTI, queueKeys,
                owner, Long.toString(leaseMs), counterTtlMs, Long.toString(queueMs), channel);
    }

    CompletableFuture<Boolean> extendScript(String owner, long token, long leaseMs) {
        return Internals.of(latchkey).redis().<Long>evalIdempotent(EXTEND, ScriptOutputType.INTEGER, lockKeys,
                owner, Long.toString(token), Long.toString(leaseMs)).thenApply(n -> n == 1L);
    }

    /** Owner-checked release that hands the lock to the next waiter and takes the owner out of the queue. */
    CompletableFuture<ReleaseResult> releaseScript(String owner) {
        return releaseScript(owner, false);
    }

    /**
     * As {@link #releaseScript(String)}, for a lease that was locally valid when the release was sent
     * ({@code heldWhenSent}): if core had to re-send it (the first reply was lost with its connection), an answer
     * of "gone" or "someone else holds it" means the first run released it and the lock moved on, since a locally
     * valid lease cannot have expired (only a force-release could have taken it).
     */
    CompletableFuture<ReleaseResult> releaseScript(String owner, boolean heldWhenSent) {
        AtomicBoolean resent = new AtomicBoolean();
        return Internals.of(latchkey).redis().<Long>evalIdempotent(RELEASE, ScriptOutputType.INTEGER, queueKeys,
                        new String[] {owner, counterTtlMs, channel}, () -> resent.set(true))
                .thenApply(n -> releaseResult(n, heldWhenSent && resent.get()));
    }

    static ReleaseResult releaseResult(long answer, boolean firstRunMayHaveReleased) {
        if (answer == 1L || firstRunMayHaveReleased) {
            return ReleaseResult.RELEASED;
        }
        return answer == 2L ? ReleaseResult.TAKEN_OVER : ReleaseResult.ALREADY_GONE;
    }

    /**
     * Best-effort owner-checked release of a lease that may or may not exist (after an acquire of unknown outcome,
     * or of a lease nobody will see), delivered by core in the background (re-sent with backoff while Redis is
     * unreachable) until it lands or the lease would be over anyway. Never blocks (callers may be on an I/O thread).
     */
    void releaseEventually(String owner, long leaseEndNanos) {
        Internals.of(latchkey).redis().evalEventually(RELEASE, ScriptOutputType.INTEGER, queueKeys,
                new String[] {owner, counterTtlMs, channel}, leaseEndNanos);
    }

    <T> T await(CompletableFuture<T> f) {
        return Internals.of(latchkey).redis().await(f);
    }

    Latchkey latchkey() {
        return latchkey;
    }

    LockMetrics metrics() {
        return metrics;
    }

    // --- observation and administration

    @Override
    public boolean isLocked() {
        Long n = Internals.of(latchkey).redis().callSync(c -> c.exists(lockKey));
        return n != null && n > 0;
    }

    @Override
    public Optional<LockHolder> holder() {
        List<Object> reply = Internals.of(latchkey).redis().evalSync(HOLDER, ScriptOutputType.MULTI, lockKeys);
        if (reply.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new LockHolder((String) reply.get(0), number(reply, 1),
                Duration.ofMillis(Math.max(0, number(reply, 2)))));
    }

    @Override
    public boolean forceRelease() {
        Long n = Internals.of(latchkey).redis().await(Internals.of(latchkey).redis().<Long>evalIdempotent(FORCE_RELEASE,
                ScriptOutputType.INTEGER, queueKeys, counterTtlMs, channel));
        return n == 1L;
    }

    @Override
    public String toString() {
        return "DistributedLock[" + name + "]";
    }
}
