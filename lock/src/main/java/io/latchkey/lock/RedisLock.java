package io.latchkey.lock;

import io.latchkey.core.Latchkey;
import io.latchkey.core.LatchkeyException;
import io.latchkey.core.LatchkeyTimeoutException;
import io.latchkey.core.spi.Acquisitions;
import io.latchkey.core.spi.EventDrivenWait;
import io.latchkey.core.spi.EventDrivenWait.Attempt;
import io.latchkey.core.spi.Ids;
import io.latchkey.core.spi.LeaseClock;
import io.latchkey.core.spi.LuaScript;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A single-instance lease lock: {@code <ns>:{name}:lock} is a hash {owner, token} that expires with the lease,
 * {@code <ns>:{name}:fence} the fencing counter, {@code <ns>:{name}:released} the channel waiters listen on.
 */
final class RedisLock implements DistributedLock {

    static final LuaScript ACQUIRE = LuaScript.load(Locks.class, "lock-acquire.lua");
    static final LuaScript RELEASE = LuaScript.load(Locks.class, "lock-release.lua");
    static final LuaScript EXTEND = LuaScript.load(Locks.class, "lock-extend.lua");
    static final LuaScript HOLDER = LuaScript.load(Locks.class, "lock-holder.lua");
    static final LuaScript FORCE_RELEASE = LuaScript.load(Locks.class, "lock-force-release.lua");

    /** Where refused attempts continue: see {@link #offIoThread}. */
    private static final Executor HOP = ForkJoinPool.commonPool();

    private final Latchkey latchkey;
    private final String name;
    private final LockOptions options;
    private final String lockKey;
    private final String[] acquireKeys;
    private final String[] lockKeys;
    private final String channel;
    private final String counterTtlMs;
    private final LockMetrics metrics;

    RedisLock(Latchkey latchkey, String name, LockOptions options) {
        this.latchkey = latchkey;
        this.name = name;
        this.options = options;
        this.lockKey = latchkey.keys().key(name, "lock");
        this.acquireKeys = new String[] {lockKey, latchkey.keys().key(name, "fence")};
        this.lockKeys = new String[] {lockKey};
        this.channel = latchkey.keys().key(name, "released");
        this.counterTtlMs = Long.toString(options.fencingCounterTtl().toMillis());
        this.metrics = new LockMetrics(latchkey.meterRegistry(), LockMetrics.PREFIX, LockMetrics.group(name, options));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Optional<LockLease> tryAcquire(Duration leaseTime) {
        CompletableFuture<Optional<LockLease>> f = acquire(LockRequest.of(leaseTime));
        try {
            return latchkey.redis().await(f);
        } catch (LatchkeyException e) {
            f.cancel(false); // a lease granted after we gave up is released by the abandon hook
            throw e;
        }
    }

    @Override
    public Optional<LockLease> tryAcquire(Duration leaseTime, Duration maxWait) throws InterruptedException {
        return tryAcquire(LockRequest.of(leaseTime, maxWait));
    }

    @Override
    public CompletableFuture<Optional<LockLease>> tryAcquireAsync(Duration leaseTime, Duration maxWait) {
        return acquire(LockRequest.of(leaseTime, maxWait));
    }

    @Override
    public Optional<LockLease> tryAcquire(LockRequest request) throws InterruptedException {
        Objects.requireNonNull(request, "request");
        return EventDrivenWait.awaitInterruptibly(acquire(request));
    }

    @Override
    public CompletableFuture<Optional<LockLease>> tryAcquireAsync(LockRequest request) {
        Objects.requireNonNull(request, "request");
        return acquire(request);
    }

    private CompletableFuture<Optional<LockLease>> acquire(LockRequest r) {
        long start = System.nanoTime();
        // One owner id for the whole call: a replayed or late-landing attempt is recognised as ours, and one
        // owner-checked release covers every attempt.
        String owner = Ids.newId();
        long leaseMs = r.leaseTime().toMillis();
        long leaseNanos = TimeUnit.MILLISECONDS.toNanos(leaseMs);
        AtomicInteger attempts = new AtomicInteger();
        Supplier<CompletableFuture<Attempt<RedisLockLease>>> attempt = () -> {
            if (attempts.incrementAndGet() == 2) {
                metrics.waited();
            }
            long sent = System.nanoTime();
            return acquireScript(owner, leaseMs).handle((reply, failure) -> {
                if (failure != null) {
                    LatchkeyException e = LatchkeyException.translate(failure);
                    if (e instanceof LatchkeyTimeoutException) {
                        // "Maybe acquired": a grant landing late would otherwise stay a phantom holder for a
                        // whole lease. (Unavailable means it was never executed: nothing to release.)
                        releaseEventually(owner, sent + leaseNanos);
                    }
                    throw e;
                }
                long remainingMs = number(reply, 2);
                if (number(reply, 0) == 1) {
                    // a replay reports the time left, which can only be shorter than the lease
                    long granted = remainingMs > 0 ? Math.min(leaseMs, remainingMs) : leaseMs;
                    LeaseClock clock = new LeaseClock(sent, TimeUnit.MILLISECONDS.toNanos(granted),
                            options::driftNanos);
                    return Attempt.acquired(new RedisLockLease(this, owner, number(reply, 1), clock,
                            sent + leaseNanos));
                }
                return Attempt.<RedisLockLease>retryAfter(Duration.ofMillis(Math.max(0, remainingMs)));
            }).thenCompose(RedisLock::offIoThread);
        };
        CompletableFuture<Optional<RedisLockLease>> wait = EventDrivenWait.start(latchkey, channel, r.maxWait(),
                options.maxRecheck(), attempt, RedisLockLease::abandon);
        return Acquisitions.deliver(wait, start, metrics, lease -> {
            if (r.watchdog()) {
                lease.startWatchdog(r); // before the caller can see (and release) the lease
            }
        }, RedisLockLease::abandon);
    }

    /**
     * A refused attempt makes the wait subscribe, and the first subscription of a client opens its pub/sub
     * connection synchronously; doing that on the Redis I/O thread that delivered the reply can deadlock (seen on
     * Redis Cluster), so refusals continue on another thread. Grants, the fast path, stay where they are.
     */
    private static <T> CompletableFuture<Attempt<T>> offIoThread(Attempt<T> a) {
        return a.isAcquired() ? CompletableFuture.completedFuture(a) : CompletableFuture.supplyAsync(() -> a, HOP);
    }

    private static long number(List<Object> reply, int index) {
        return ((Number) reply.get(index)).longValue();
    }

    // --- one script per operation

    /**
     * {acquired 0|1, token, remaining ms (ours, or the holder's)}. Re-sent by core with the same owner id when the
     * connection drops under it: the script answers a request it already granted with the same lease and token.
     */
    CompletableFuture<List<Object>> acquireScript(String owner, long leaseMs) {
        return latchkey.redis().evalIdempotent(ACQUIRE, ScriptOutputType.MULTI, acquireKeys,
                owner, Long.toString(leaseMs), counterTtlMs);
    }

    CompletableFuture<Boolean> extendScript(String owner, long token, long leaseMs) {
        return latchkey.redis().<Long>evalIdempotent(EXTEND, ScriptOutputType.INTEGER, lockKeys,
                owner, Long.toString(token), Long.toString(leaseMs)).thenApply(n -> n == 1L);
    }

    /**
     * Owner-checked release: {@link ReleaseResult#ALREADY_GONE} can also mean that a first run whose reply was lost
     * with its connection released it, before core re-sent it.
     */
    CompletableFuture<ReleaseResult> releaseScript(String owner) {
        return latchkey.redis().<Long>evalIdempotent(RELEASE, ScriptOutputType.INTEGER, lockKeys, owner, channel)
                .thenApply(n -> n == 1L ? ReleaseResult.RELEASED
                        : n == 2L ? ReleaseResult.TAKEN_OVER : ReleaseResult.ALREADY_GONE);
    }

    /**
     * Best-effort owner-checked release of a lease that may or may not exist (after an acquire of unknown outcome,
     * or of a lease nobody will see), delivered by core in the background (re-sent with backoff while Redis is
     * unreachable) until it lands or the lease would be over anyway. Never blocks (callers may be on an I/O thread).
     */
    void releaseEventually(String owner, long leaseEndNanos) {
        latchkey.redis().evalEventually(RELEASE, ScriptOutputType.INTEGER, lockKeys, new String[] {owner, channel},
                leaseEndNanos);
    }

    <T> T await(CompletableFuture<T> f) {
        return latchkey.redis().await(f);
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
        Long n = latchkey.redis().callSync(c -> c.exists(lockKey));
        return n != null && n > 0;
    }

    @Override
    public Optional<LockHolder> holder() {
        List<Object> reply = latchkey.redis().evalSync(HOLDER, ScriptOutputType.MULTI, lockKeys);
        if (reply.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new LockHolder((String) reply.get(0), number(reply, 1),
                Duration.ofMillis(Math.max(0, number(reply, 2)))));
    }

    @Override
    public boolean forceRelease() {
        Long n = latchkey.redis().await(latchkey.redis().<Long>evalIdempotent(FORCE_RELEASE,
                ScriptOutputType.INTEGER, lockKeys, channel));
        return n == 1L;
    }

    @Override
    public String toString() {
        return "DistributedLock[" + name + "]";
    }
}
