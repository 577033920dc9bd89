package io.latchkey.dedup;

import io.latchkey.core.spi.Failures;
import io.latchkey.core.FailurePolicy;
import io.latchkey.core.Latchkey;
import io.latchkey.core.LatchkeyException;
import io.latchkey.core.spi.Arguments;
import io.latchkey.core.spi.EventDrivenWait;
import io.latchkey.core.spi.EventDrivenWait.Attempt;
import io.latchkey.core.spi.Ids;
import io.latchkey.core.spi.Internals;
import io.latchkey.core.spi.Keys;
import io.latchkey.core.spi.LuaScript;
import io.latchkey.core.spi.Watchdog;
import io.lettuce.core.ScriptOutputType;
import io.micrometer.core.instrument.Counter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The record of one key is a hash {@code <ns>:{<name>:<key>}:i} with {@code s} (P = in progress, C = completed),
 * {@code o} (owner token), {@code f} (payload fingerprint) and {@code r} (encoded result); its TTL is the lease while
 * in progress and the result TTL once completed. Completion and release publish on {@code <ns>:{<name>:<key>}:done}.
 */
final class RedisIdempotentExecutor<T> implements IdempotentExecutor<T> {

    private static final System.Logger LOG = System.getLogger(RedisIdempotentExecutor.class.getName());

    private static final LuaScript CLAIM = LuaScript.load(Deduplicators.class, "idempotency-claim.lua");
    private static final LuaScript COMPLETE = LuaScript.load(Deduplicators.class, "idempotency-complete.lua");
    private static final LuaScript RELEASE = LuaScript.load(Deduplicators.class, "idempotency-release.lua");
    private static final LuaScript RENEW = LuaScript.load(Deduplicators.class, "idempotency-renew.lua");

    /** Stored form of a null result; a non-null one is "v" + its encoding. */
    private static final String NULL_RESULT = "n";

    private enum Status { NEW, IN_PROGRESS, COMPLETED, MISMATCH, FALLBACK }

    private record Claim(Status status, String stored, long pttlMillis) {
    }

    private final Latchkey latchkey;
    private final String name;
    private final ResultCodec<T> codec;
    private final IdempotencyOptions options;
    private final DedupMetrics metrics;
    private final Counter unstored;
    private final String leaseArg;
    private final String ttlArg;

    RedisIdempotentExecutor(Latchkey latchkey, String name, ResultCodec<T> codec, IdempotencyOptions options) {
        this.latchkey = latchkey;
        this.name = name;
        this.codec = codec;
        this.options = options;
        this.metrics = new DedupMetrics(latchkey.meterRegistry(), name);
        this.unstored = Counter.builder("latchkey.dedup.idempotency.unstored")
                .description("Actions that succeeded but whose result could not be stored (lease lost or Redis failed)")
                .tag("name", name)
                .register(latchkey.meterRegistry());
        this.leaseArg = Long.toString(options.leaseMillis());
        this.ttlArg = Long.toString(options.ttlMillis());
    }

    @Override
    public String name() {
        return name;
    }

    // ------------------------------------------------------------------ sync

    @Override
    public T execute(String key, Supplier<T> action) {
        return run(Keys.validateKey(key, "key"), "", Objects.requireNonNull(action, "action"));
    }

    @Override
    public T execute(String key, String canonicalPayload, Supplier<T> action) {
        Keys.validateKey(key, "key");
        Arguments.wellFormed(canonicalPayload, "canonicalPayload"); // else hashed as '?'
        Objects.requireNonNull(action, "action");
        return run(key, fingerprint(canonicalPayload.getBytes(StandardCharsets.UTF_8)), action);
    }

    @Override
    public T execute(String key, byte[] canonicalPayload, Supplier<T> action) {
        Keys.validateKey(key, "key");
        Objects.requireNonNull(canonicalPayload, "canonicalPayload");
        Objects.requireNonNull(action, "action");
        return run(key, fingerprint(canonicalPayload), action);
    }

    private T run(String key, String fp, Supplier<T> action) {
        Entry e = new Entry(key, fp);
        Claim c;
        try {
            c = Internals.of(latchkey).redis().await(claim(e));
            if (c.status() == Status.IN_PROGRESS && options.onInProgress() == IdempotencyOptions.OnInProgress.WAIT) {
                c = awaitInterruptibly(waitForResult(e, c));
            }
        } catch (LatchkeyException failure) {
            c = fallback(failure);
        }
        switch (c.status()) {
            case NEW:
                metrics.fresh.increment();
                return runOwned(e, action);
            case FALLBACK:
                return action.get();
            default:
                return settle(e, c);
        }
    }

    private static Claim awaitInterruptibly(CompletableFuture<Claim> wait) {
        try {
            return EventDrivenWait.awaitInterruptibly(wait.thenApply(Optional::of)).orElseThrow();
        } catch (InterruptedException ie) {
            wait.cancel(false);
            Thread.currentThread().interrupt();
            throw new io.latchkey.core.LatchkeyInterruptedException("interrupted while waiting for an idempotent result", ie);
        }
    }

    private T runOwned(Entry e, Supplier<T> action) {
        Watchdog watchdog = startWatchdog(e);
        String stored;
        T value;
        try {
            value = action.get();
            stored = encode(value);
        } catch (RuntimeException | Error failure) {
            abandon(e, watchdog).join();
            throw failure;
        }
        finish(e, watchdog, stored).join();
        return value;
    }

    // ------------------------------------------------------------------ async

    @Override
    public CompletableFuture<T> executeAsync(String key, Supplier<CompletableFuture<T>> action) {
        Keys.validateKey(key, "key");
        Objects.requireNonNull(action, "action");
        return runAsync(new Entry(key, ""), action);
    }

    @Override
    public CompletableFuture<T> executeAsync(String key, String canonicalPayload,
                                             Supplier<CompletableFuture<T>> action) {
        Keys.validateKey(key, "key");
        Arguments.wellFormed(canonicalPayload, "canonicalPayload"); // else hashed as '?'
        Objects.requireNonNull(action, "action");
        return runAsync(new Entry(key, fingerprint(canonicalPayload.getBytes(StandardCharsets.UTF_8))), action);
    }

    private CompletableFuture<T> runAsync(Entry e, Supplier<CompletableFuture<T>> action) {
        CompletableFuture<Claim> claimed = claim(e).thenCompose(c ->
                c.status() == Status.IN_PROGRESS && options.onInProgress() == IdempotencyOptions.OnInProgress.WAIT
                        ? waitForResult(e, c) : CompletableFuture.completedFuture(c));
        return claimed
                .handle((c, failure) -> failure == null ? c : fallback(Failures.translate(failure)))
                .thenCompose(c -> {
                    switch (c.status()) {
                        case NEW:
                            metrics.fresh.increment();
                            return runOwnedAsync(e, action);
                        case FALLBACK:
                            return start(action);
                        default:
                            try {
                                return CompletableFuture.completedFuture(settle(e, c));
                            } catch (RuntimeException ex) {
                                return CompletableFuture.failedFuture(ex);
                            }
                    }
                });
    }

    private CompletableFuture<T> runOwnedAsync(Entry e, Supplier<CompletableFuture<T>> action) {
        Watchdog watchdog = startWatchdog(e);
        return start(action).handle((value, failure) -> {
            if (failure == null) {
                try {
                    String stored = encode(value);
                    return finish(e, watchdog, stored).thenApply(v -> value);
                } catch (RuntimeException ex) {
                    failure = ex;
                }
            }
            Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            return abandon(e, watchdog).<T>thenCompose(v -> CompletableFuture.failedFuture(cause));
        }).thenCompose(f -> f);
    }

    private static <T> CompletableFuture<T> start(Supplier<CompletableFuture<T>> action) {
        try {
            return Objects.requireNonNull(action.get(), "the action returned a null future");
        } catch (RuntimeException ex) {
            return CompletableFuture.failedFuture(ex);
        }
    }

    // ------------------------------------------------------------------ shared steps

    @Override
    public boolean forget(String key) {
        Keys.validateKey(key, "key");
        String record = new Entry(key, "").record;
        return Internals.of(latchkey).redis().<Long>callSync(c -> c.del(record)) > 0;
    }

    private CompletableFuture<Claim> claim(Entry e) {
        // core re-sends it with the same owner token when the reply is lost: the script recognises our own claim
        return Internals.of(latchkey).redis().<List<Object>>evalIdempotent(CLAIM, ScriptOutputType.MULTI,
                new String[] {e.record}, e.owner, leaseArg, e.fingerprint).thenApply(RedisIdempotentExecutor::parse);
    }

    private static Claim parse(List<Object> reply) {
        String status = (String) reply.get(0);
        switch (status) {
            case "new":
                return new Claim(Status.NEW, null, 0);
            case "completed":
                return new Claim(Status.COMPLETED, (String) reply.get(1), 0);
            case "mismatch":
                return new Claim(Status.MISMATCH, null, 0);
            case "in_progress":
                return new Claim(Status.IN_PROGRESS, null, (Long) reply.get(1));
            default:
                throw new io.latchkey.core.LatchkeyScriptException("unexpected claim reply " + reply, null);
        }
    }

    /**
     * Waits, woken by the owner's completion or release message, until the key is completed, becomes ours (the
     * owner failed or crashed), or maxWait passes (then the last in-progress answer).
     */
    private CompletableFuture<Claim> waitForResult(Entry e, Claim first) {
        AtomicLong lastPttl = new AtomicLong(first.pttlMillis());
        CompletableFuture<Optional<Claim>> wait = EventDrivenWait.start(latchkey, e.channel, options.maxWait(),
                () -> claim(e).thenApply(c -> {
                    if (c.status() == Status.IN_PROGRESS) {
                        lastPttl.set(c.pttlMillis());
                        return Attempt.<Claim>retryAfter(Duration.ofMillis(Math.max(c.pttlMillis(), 0)));
                    }
                    return Attempt.acquired(c);
                }),
                c -> {
                    if (c.status() == Status.NEW) {
                        release(e); // became ours after the caller gave up: let the next caller have it
                    }
                });
        CompletableFuture<Claim> result = wait.thenApply(
                r -> r.orElseGet(() -> new Claim(Status.IN_PROGRESS, null, lastPttl.get())));
        // cancelling the outer future (interrupt) must cancel the wait, so a late claim is released
        result.whenComplete((v, f) -> {
            if (result.isCancelled()) {
                wait.cancel(false);
            }
        });
        return result;
    }

    private T settle(Entry e, Claim c) {
        switch (c.status()) {
            case COMPLETED:
                metrics.duplicate.increment();
                return decode(c.stored());
            case MISMATCH:
                metrics.mismatch.increment();
                throw new IdempotencyMismatchException(e.key);
            case IN_PROGRESS:
                metrics.inProgress.increment();
                throw new IdempotencyInProgressException(e.key, Duration.ofMillis(c.pttlMillis()));
            default:
                throw new IllegalStateException("unexpected " + c);
        }
    }

    private Claim fallback(LatchkeyException failure) {
        if (!Failures.isTransient(failure)) {
            // Redis answered with an error (NOPERM, a script error...): no policy may hide that
            metrics.error.increment();
            throw failure;
        }
        metrics.fallback.increment();
        if (options.failurePolicy() == FailurePolicy.FAIL_OPEN) {
            return new Claim(Status.FALLBACK, null, 0);
        }
        throw failure;
    }

    private Watchdog startWatchdog(Entry e) {
        long leaseNanos = TimeUnit.MILLISECONDS.toNanos(options.leaseMillis());
        // the claim went out before now, so this local deadline is conservative
        AtomicLong validUntil = new AtomicLong(System.nanoTime() + leaseNanos);
        return Watchdog.start(Internals.of(latchkey).scheduler(), name, options.lease(), null, () -> {
            long sent = System.nanoTime();
            return Internals.of(latchkey).redis().<Long>eval(RENEW, ScriptOutputType.INTEGER, new String[] {e.record},
                    e.owner, leaseArg).thenApply(n -> {
                        if (n == 1L) {
                            validUntil.set(sent + leaseNanos);
                        }
                        return n == 1L;
                    });
        }, () -> System.nanoTime() < validUntil.get(), null);
    }

    /** Stops the heartbeat, then stores the result; never fails (the caller still gets the action's result). */
    private CompletableFuture<Void> finish(Entry e, Watchdog watchdog, String stored) {
        return watchdog.stop()
                .thenCompose(v -> Internals.of(latchkey).redis().<Long>evalIdempotent(COMPLETE, ScriptOutputType.INTEGER,
                        new String[] {e.record, e.channel}, e.owner, stored, ttlArg))
                .handle((n, failure) -> {
                    if (failure != null || n != 1L) {
                        unstored.increment(); // the claim lapses after its lease; a later caller runs the action again
                    }
                    return null;
                });
    }

    /** Stops the heartbeat, then removes the claim (if configured); never fails. */
    private CompletableFuture<Void> abandon(Entry e, Watchdog watchdog) {
        return watchdog.stop().thenCompose(v -> options.removeClaimOnFailure()
                ? release(e) : CompletableFuture.<Void>completedFuture(null));
    }

    private CompletableFuture<Void> release(Entry e) {
        return Internals.of(latchkey).redis().<Long>evalIdempotent(RELEASE, ScriptOutputType.INTEGER,
                new String[] {e.record, e.channel}, e.owner).handle((n, failure) -> {
                    if (failure != null) { // best effort: otherwise the claim lapses after its lease
                        LOG.log(System.Logger.Level.DEBUG, () -> "removing the claim of " + e.record + " failed: "
                                + failure);
                    }
                    return null;
                });
    }

    private String encode(T value) {
        return value == null ? NULL_RESULT : "v" + codec.encode(value);
    }

    private T decode(String stored) {
        if (stored == null || stored.equals(NULL_RESULT)) {
            return null;
        }
        return codec.decode(stored.substring(1));
    }

    static String fingerprint(byte[] canonicalPayload) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonicalPayload));
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is required by every JVM", ex);
        }
    }

    /** The keys and owner token of one execute call. */
    private final class Entry {
        final String key;
        final String record;
        final String channel;
        final String owner = Ids.newId();
        final String fingerprint;

        Entry(String key, String fingerprint) {
            this.key = key;
            this.record = Internals.of(latchkey).keys().key(name, key, "i");
            this.channel = Internals.of(latchkey).keys().key(name, key, "done");
            this.fingerprint = fingerprint;
        }
    }

    @Override
    public String toString() {
        return "IdempotentExecutor[" + name + ", " + options + "]";
    }
}
