package io.latchkey.lock.redlock;

import io.latchkey.core.spi.Failures;
import io.latchkey.core.Latchkey;
import io.latchkey.core.LatchkeyException;
import io.latchkey.core.LatchkeyScriptException;
import io.latchkey.core.LatchkeyUnavailableException;
import io.latchkey.core.spi.Internals;
import io.latchkey.core.spi.LuaScript;
import io.latchkey.lock.LockOptions;
import io.latchkey.lock.Locks;
import io.latchkey.lock.redlock.RedlockNodeOutcome.Status;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * One Redlock node for one lock name. Every request is the single-instance lock's own script (same per-node shape:
 * owner-checked, replay-safe), on keys of its own ({@code <ns>:{name}:redlock}, {@code ...:redlock-fence}) so a
 * Redlock and a single-instance lock of the same name never meet. Every future completes normally with a typed
 * {@link RedlockNodeOutcome}, at the latest after the per-node timeout.
 */
final class RedlockNode {

    static final LuaScript ACQUIRE = LuaScript.load(Locks.class, new String[] {"lock-grant.lua"},
            "redlock-node-acquire.lua");
    static final LuaScript RELEASE = LuaScript.load(Locks.class, "redlock-node-release.lua");
    static final LuaScript EXTEND = LuaScript.load(Locks.class, "lock-extend.lua");
    static final LuaScript HOLDER = LuaScript.load(Locks.class, "lock-holder.lua");
    static final LuaScript FORCE_RELEASE = LuaScript.load(Locks.class, "redlock-node-force-release.lua");
    static final LuaScript FENCE = LuaScript.load(Locks.class, "redlock-fence.lua");

    /** What {@link #holder()} saw on one node. */
    record Holder(RedlockNodeOutcome outcome, String owner) {
    }

    final int index;
    final Latchkey latchkey;
    private final long timeoutNanos;
    private final String[] lockKeys;
    private final String[] acquireKeys;
    private final String channel;
    private final long counterTtlMs;

    RedlockNode(int index, Latchkey latchkey, String name, Duration timeout, LockOptions options) {
        this.index = index;
        this.latchkey = latchkey;
        this.timeoutNanos = timeout.toNanos();
        String lockKey = Internals.of(latchkey).keys().key(name, "redlock");
        this.lockKeys = new String[] {lockKey};
        this.acquireKeys = new String[] {lockKey, Internals.of(latchkey).keys().key(name, "redlock-fence")};
        this.channel = Internals.of(latchkey).keys().key(name, "redlock-released");
        this.counterTtlMs = options.fencingCounterTtl().toMillis();
    }

    /** Phase one: {acquired 0|1, token, remaining ms} → ACQUIRED (ttl = granted) or HELD (ttl = holder's). */
    CompletableFuture<RedlockNodeOutcome> acquire(String owner, long leaseMs) {
        long sent = System.nanoTime();
        return this.<List<Object>>timed(Internals.of(latchkey).redis().eval(ACQUIRE, ScriptOutputType.MULTI, acquireKeys,
                owner, Long.toString(leaseMs), Long.toString(counterTtlMs)), sent, reply -> {
                    long remaining = number(reply, 2);
                    if (number(reply, 0) == 1) {
                        // a replay reports the time left, which can only be shorter than the lease
                        long granted = remaining > 0 ? Math.min(leaseMs, remaining) : leaseMs;
                        return RedlockNodeOutcome.of(index, Status.ACQUIRED, number(reply, 1),
                                Duration.ofMillis(granted), System.nanoTime() - sent);
                    }
                    return RedlockNodeOutcome.of(index, Status.HELD, 0, Duration.ofMillis(Math.max(0, remaining)),
                            System.nanoTime() - sent);
                });
    }

    /** Phase two: the conditional write-back of the quorum token. */
    CompletableFuture<RedlockNodeOutcome> fence(String owner, long token, long leaseMs) {
        long sent = System.nanoTime();
        long keep = Math.max(counterTtlMs, leaseMs);
        return this.<Long>timed(Internals.of(latchkey).redis().eval(FENCE, ScriptOutputType.INTEGER, acquireKeys,
                owner, Long.toString(token), Long.toString(keep)), sent, n -> RedlockNodeOutcome.of(index,
                n == 1L ? Status.FENCED : n == 2L ? Status.TAKEN_OVER : Status.ALREADY_GONE, token, Duration.ZERO,
                System.nanoTime() - sent));
    }

    /** Owner- and token-checked PEXPIRE; never re-creates an expired lock. */
    CompletableFuture<RedlockNodeOutcome> extend(String owner, long nodeToken, long leaseMs) {
        long sent = System.nanoTime();
        return this.<Long>timed(Internals.of(latchkey).redis().eval(EXTEND, ScriptOutputType.INTEGER, lockKeys,
                owner, Long.toString(nodeToken), Long.toString(leaseMs)), sent, n -> n == 1L
                ? RedlockNodeOutcome.of(index, Status.EXTENDED, nodeToken, Duration.ofMillis(leaseMs),
                        System.nanoTime() - sent)
                : RedlockNodeOutcome.of(index, Status.ALREADY_GONE, 0, Duration.ZERO, System.nanoTime() - sent));
    }

    /** Owner-checked delete: RELEASED, ALREADY_GONE or TAKEN_OVER. */
    CompletableFuture<RedlockNodeOutcome> release(String owner) {
        long sent = System.nanoTime();
        return this.<Long>timed(Internals.of(latchkey).redis().eval(RELEASE, ScriptOutputType.INTEGER, lockKeys, owner, channel),
                sent, n -> RedlockNodeOutcome.of(index,
                        n == 1L ? Status.RELEASED : n == 2L ? Status.TAKEN_OVER : Status.ALREADY_GONE, 0,
                        Duration.ZERO, System.nanoTime() - sent));
    }

    /**
     * Best-effort owner-checked release on this node, delivered by this node's own client in the background
     * (re-sent with backoff while the node does not answer) until it lands or the lease would be over anyway.
     * Never blocks (callers may be on an I/O thread).
     */
    void releaseEventually(String owner, long leaseEndNanos) {
        Internals.of(latchkey).redis().evalEventually(RELEASE, ScriptOutputType.INTEGER, lockKeys, new String[] {owner, channel},
                leaseEndNanos);
    }

    /** Who holds the lock on this node: HELD (with owner, token, remaining) or ALREADY_GONE. */
    CompletableFuture<Holder> holder() {
        long sent = System.nanoTime();
        CompletableFuture<List<Object>> call = Internals.of(latchkey).redis().eval(HOLDER, ScriptOutputType.MULTI, lockKeys);
        CompletableFuture<Holder> out = new CompletableFuture<>();
        call.orTimeout(timeoutNanos, TimeUnit.NANOSECONDS).whenComplete((reply, failure) -> {
            long latency = System.nanoTime() - sent;
            if (failure != null) {
                out.complete(new Holder(failure(failure, latency), null));
            } else if (reply.isEmpty()) {
                out.complete(new Holder(RedlockNodeOutcome.of(index, Status.ALREADY_GONE, 0, Duration.ZERO,
                        latency), null));
            } else {
                out.complete(new Holder(RedlockNodeOutcome.of(index, Status.HELD, number(reply, 1),
                        Duration.ofMillis(Math.max(0, number(reply, 2))), latency), (String) reply.get(0)));
            }
        });
        return out;
    }

    /** Administrative delete: RELEASED if something was held here, else ALREADY_GONE. */
    CompletableFuture<RedlockNodeOutcome> forceRelease() {
        long sent = System.nanoTime();
        return this.<Long>timed(Internals.of(latchkey).redis().eval(FORCE_RELEASE, ScriptOutputType.INTEGER, lockKeys, channel),
                sent, n -> RedlockNodeOutcome.of(index, n == 1L ? Status.RELEASED : Status.ALREADY_GONE, 0,
                        Duration.ZERO, System.nanoTime() - sent));
    }

    private <T> CompletableFuture<RedlockNodeOutcome> timed(CompletableFuture<T> call, long sent,
                                                          Function<T, RedlockNodeOutcome> onReply) {
        // The per-node timeout only stops us waiting: the command itself may still run (Lettuce's own command
        // timeout is longer), which is why failed and timed-out nodes get an owner-checked release.
        return call.orTimeout(timeoutNanos, TimeUnit.NANOSECONDS).handle((reply, failure) -> failure == null
                ? onReply.apply(reply) : failure(failure, System.nanoTime() - sent));
    }

    private RedlockNodeOutcome failure(Throwable failure, long latencyNanos) {
        Throwable t = Failures.unwrap(failure);
        if (t instanceof TimeoutException) {
            return RedlockNodeOutcome.failed(index, Status.TIMED_OUT, latencyNanos,
                    "no answer within " + Duration.ofNanos(timeoutNanos));
        }
        LatchkeyException e = Failures.translate(t);
        Status status = e instanceof LatchkeyUnavailableException ? Status.UNAVAILABLE
                : e instanceof LatchkeyScriptException ? Status.ERROR
                : Status.TIMED_OUT; // unknown outcome: treat as "may have happened"
        return RedlockNodeOutcome.failed(index, status, latencyNanos, e.getMessage());
    }

    private static long number(List<Object> reply, int index) {
        return ((Number) reply.get(index)).longValue();
    }
}
