package io.latchkey.semaphore;

import io.latchkey.core.spi.Failures;
import io.latchkey.core.Latchkey;
import io.latchkey.core.LatchkeyException;
import io.latchkey.core.LatchkeyScriptException;
import io.latchkey.core.LeaseRequest;
import io.latchkey.core.spi.Acquisitions;
import io.latchkey.core.spi.Arguments;
import io.latchkey.core.spi.EventDrivenWait;
import io.latchkey.core.spi.EventDrivenWait.Attempt;
import io.latchkey.core.spi.Ids;
import io.latchkey.core.spi.Internals;
import io.latchkey.core.spi.LuaScript;
import io.latchkey.core.spi.ReplicaWait;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** The Redis implementation: a ZSET of permits scored by expiry (Redis µs) and a meta hash with limit and peak. */
final class RedisSemaphore implements DistributedSemaphore {

    /** The TTL keep-alive every writing script shares. */
    private static final String[] KEEP_ALIVE = {"semaphore-keepalive.lua"};
    static final LuaScript ACQUIRE = LuaScript.load(Semaphores.class, KEEP_ALIVE, "semaphore-acquire.lua");
    static final LuaScript RELEASE = LuaScript.load(Semaphores.class, KEEP_ALIVE, "semaphore-release.lua");
    static final LuaScript EXTEND = LuaScript.load(Semaphores.class, KEEP_ALIVE, "semaphore-extend.lua");
    static final LuaScript RESIZE = LuaScript.load(Semaphores.class, KEEP_ALIVE, "semaphore-resize.lua");
    static final LuaScript RESET_PEAK = LuaScript.load(Semaphores.class, KEEP_ALIVE, "semaphore-reset-peak.lua");
    static final LuaScript STATS = LuaScript.load(Semaphores.class, "semaphore-stats.lua");
    static final LuaScript HOLDERS = LuaScript.load(Semaphores.class, "semaphore-holders.lua");

    private final Latchkey latchkey;
    private final String name;
    private final int permits;
    private final SemaphoreOptions options;
    private final String[] keys;
    private final String channel;
    private final String configured;
    private final String retentionMs;
    private final SemaphoreMetrics metrics;
    private final ReplicaWait replicaWait;

    RedisSemaphore(Latchkey latchkey, String name, int permits, SemaphoreOptions options) {
        this.latchkey = latchkey;
        this.name = name;
        this.permits = permits;
        this.options = options;
        this.keys = new String[] {Internals.of(latchkey).keys().key(name, "permits"), Internals.of(latchkey).keys().key(name, "meta")};
        this.channel = Internals.of(latchkey).keys().key(name, "released");
        this.configured = Integer.toString(permits);
        this.retentionMs = Long.toString(options.stateRetention().toMillis());
        this.metrics = new SemaphoreMetrics(latchkey.meterRegistry(), name);
        this.replicaWait = ReplicaWait.of(latchkey, "semaphore " + name, options.replicas(), options.replicaTimeout(),
                options.onUnreplicated(), Internals.of(latchkey).keys().key(name, "replicated"));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int configuredPermits() {
        return permits;
    }

    @Override
    public Optional<Permit> tryAcquire(Duration leaseTime) {
        CompletableFuture<Optional<Permit>> f = acquire(LeaseRequest.of(leaseTime));
        try {
            return Internals.of(latchkey).redis().await(f);
        } catch (LatchkeyException e) {
            f.cancel(false); // a permit granted after we gave up is released by the wait's abandon hook
            throw e;
        }
    }

    @Override
    public Optional<Permit> tryAcquire(LeaseRequest request) throws InterruptedException {
        return EventDrivenWait.awaitInterruptibly(tryAcquireAsync(request));
    }

    @Override
    public CompletableFuture<Optional<Permit>> tryAcquireAsync(LeaseRequest request) {
        Objects.requireNonNull(request, "request");
        return acquire(request);
    }

    private CompletableFuture<Optional<Permit>> acquire(LeaseRequest o) {
        long start = System.nanoTime();
        // One id for the whole call: a replayed or late-landing attempt is recognised as the same permit, and a
        // single best-effort release covers every attempt.
        String id = Ids.newId();
        long leaseMs = o.leaseTime().toMillis();
        AtomicInteger attempts = new AtomicInteger();
        Supplier<CompletableFuture<Attempt<RedisPermit>>> attempt = () -> {
            if (attempts.incrementAndGet() == 2) {
                metrics.waited();
            }
            long sent = System.nanoTime();
            // core re-sends the same permit id if the connection drops before the reply: the script recognises
            // its own permit, so the re-send turns "unknown" into a definite answer
            return Internals.of(latchkey).redis().<List<Object>>evalIdempotent(ACQUIRE, ScriptOutputType.MULTI, keys,
                    acquireArgs(id, leaseMs)).handle((reply, failure) -> {
                        if (failure != null) {
                            LatchkeyException e = Failures.translate(failure);
                            if (!(e instanceof LatchkeyScriptException)) {
                                // A timeout, or a connection lost after the script was written, may hide a grant:
                                // release it so it does not stay a phantom holder for a whole lease.
                                releaseEventually(id, sent + o.leaseTime().toNanos());
                            }
                            throw e;
                        }
                        long granted = number(reply, 0);
                        long holders = number(reply, 1);
                        long limit = number(reply, 2);
                        long micros = number(reply, 3);
                        metrics.observe(limit, holders);
                        if (granted == 1) {
                            long leaseMicros = Math.min(micros, o.leaseTime().toMillis() * 1000);
                            return Attempt.acquired(new RedisPermit(this, id, sent, leaseMicros * 1000));
                        }
                        return Attempt.retryAfter(Duration.of(micros, ChronoUnit.MICROS));
                    });
        };
        CompletableFuture<Optional<RedisPermit>> wait = EventDrivenWait.start(latchkey, channel, o.maxWait(),
                options.maxRecheck(), attempt, RedisPermit::abandon);
        CompletableFuture<Optional<RedisPermit>> granted = replicaWait.after(wait, RedisPermit::replication,
                metrics::unreplicated, RedisPermit::abandon);
        return Acquisitions.deliver(granted, start, metrics.acquires, permit -> {
            if (o.watchdog()) {
                permit.startWatchdog(o);
            }
        }, RedisPermit::abandon);
    }

    private static long number(List<Object> reply, int index) {
        return ((Number) reply.get(index)).longValue();
    }

    // --- one script per operation

    /** One plain acquire (no re-send): what a replay of a lost request looks like to the script. */
    CompletableFuture<List<Object>> acquireScript(String id, long leaseMs) {
        return Internals.of(latchkey).redis().eval(ACQUIRE, ScriptOutputType.MULTI, keys, acquireArgs(id, leaseMs));
    }

    private String[] acquireArgs(String id, long leaseMs) {
        return new String[] {id, Long.toString(leaseMs), configured, retentionMs};
    }

    /** Re-scores a live permit; a re-send after a dropped connection only moves the expiry slightly later. */
    CompletableFuture<Boolean> extend(String id, long leaseMs) {
        return Internals.of(latchkey).redis().<Long>evalIdempotent(EXTEND, ScriptOutputType.INTEGER, keys,
                id, Long.toString(leaseMs), retentionMs).thenApply(r -> r == 1L);
    }

    /** Completes with 1 (released), 0 (not held) or -1 (had expired before the release); re-sent if dropped. */
    CompletableFuture<Long> release(String id) {
        AtomicBoolean resent = new AtomicBoolean();
        return Internals.of(latchkey).redis().<List<Object>>evalIdempotent(RELEASE, ScriptOutputType.MULTI, keys,
                        releaseArgs(id), () -> resent.set(true))
                .thenApply(this::releaseOutcome)
                // "not held" after a re-send: the first send most likely released it and lost its reply
                .thenApply(outcome -> outcome == 0L && resent.get() ? 1L : outcome);
    }

    private String[] releaseArgs(String id) {
        return new String[] {id, configured, retentionMs, channel};
    }

    private long releaseOutcome(List<Object> reply) {
        metrics.observe(number(reply, 2), number(reply, 1));
        return number(reply, 0);
    }

    /**
     * Best-effort release of a permit that may or may not exist, delivered by core in the background (re-sent with
     * backoff while Redis is unreachable) until it lands or the lease is over anyway.
     */
    void releaseEventually(String id, long leaseEndNanos) {
        Internals.of(latchkey).redis().<List<Object>>evalEventually(RELEASE, ScriptOutputType.MULTI, keys, releaseArgs(id),
                leaseEndNanos).thenAccept(this::releaseOutcome);
    }

    <T> T await(CompletableFuture<T> f) {
        return Internals.of(latchkey).redis().await(f);
    }

    Latchkey latchkey() {
        return latchkey;
    }

    SemaphoreMetrics metrics() {
        return metrics;
    }

    // --- observation and administration

    @Override
    public int availablePermits() {
        return stats().available();
    }

    @Override
    public List<PermitHolder> holders() {
        List<Object> reply = Internals.of(latchkey).redis().evalSync(HOLDERS, ScriptOutputType.MULTI, new String[] {keys[0]});
        List<PermitHolder> out = new ArrayList<>(reply.size() / 2);
        for (int i = 0; i + 1 < reply.size(); i += 2) {
            out.add(new PermitHolder((String) reply.get(i),
                    Duration.of(((Number) reply.get(i + 1)).longValue(), ChronoUnit.MICROS)));
        }
        return Collections.unmodifiableList(out);
    }

    @Override
    public SemaphoreStats stats() {
        List<Object> reply = Internals.of(latchkey).redis().evalSync(STATS, ScriptOutputType.MULTI, keys, configured);
        long limit = number(reply, 0);
        long holders = number(reply, 1);
        long since = number(reply, 3);
        metrics.observe(limit, holders);
        return new SemaphoreStats((int) limit, (int) holders, (int) number(reply, 2),
                since == 0 ? Instant.EPOCH : Instant.EPOCH.plus(since, ChronoUnit.MICROS));
    }

    @Override
    public int resize(int newLimit) {
        Arguments.positive(newLimit, "newLimit");
        List<Object> reply = Internals.of(latchkey).redis().evalSync(RESIZE, ScriptOutputType.MULTI, keys,
                Integer.toString(newLimit), configured, retentionMs, channel);
        metrics.observe(newLimit, number(reply, 1));
        return (int) number(reply, 0);
    }

    @Override
    public int resetPeak() {
        Long peak = Internals.of(latchkey).redis().evalSync(RESET_PEAK, ScriptOutputType.INTEGER, keys, configured, retentionMs);
        return peak.intValue();
    }

    @Override
    public String toString() {
        return "DistributedSemaphore[" + name + ", permits=" + permits + "]";
    }
}
