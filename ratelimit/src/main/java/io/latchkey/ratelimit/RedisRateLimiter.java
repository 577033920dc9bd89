package io.latchkey.ratelimit;

import io.latchkey.core.FailurePolicy;
import io.latchkey.core.Latchkey;
import io.latchkey.core.LatchkeyClosedException;
import io.latchkey.core.LatchkeyException;
import io.latchkey.core.spi.Arguments;
import io.latchkey.core.spi.Failures;
import io.latchkey.core.spi.Backoff;
import io.latchkey.core.spi.Ids;
import io.latchkey.core.spi.Internals;
import io.latchkey.core.spi.Keys;
import io.latchkey.core.spi.LuaScript;
import io.lettuce.core.ScriptOutputType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A limiter whose every decision is one run of ratelimit-decide.lua. */
final class RedisRateLimiter implements RateLimiter {

    static final LuaScript SCRIPT = LuaScript.load(RateLimiters.class, "ratelimit-decide.lua");
    /** The request id of a limiter without a sliding log: the script never reads it. */
    private static final String NO_REQUEST_ID = "-";

    private final Latchkey latchkey;
    private final String name;
    private final List<RateLimit> limits;
    private final RateLimiterOptions options;
    private final long minLimit;
    private final RateLimit minLimitOwner;
    private final String[] limitArgs;
    /** Whether a limit is a sliding log: only its entries carry the request id (the counters cannot use one). */
    private final boolean logsRequests;
    private final DenialCache nearCache;
    private final Counter allowed;
    private final Counter denied;
    private final Counter fallback;
    private final Counter errors;
    private final Counter nearCacheHits;
    private final Timer latency;

    RedisRateLimiter(Latchkey latchkey, String name, List<RateLimit> limits, RateLimiterOptions options) {
        this.latchkey = latchkey;
        this.name = name;
        this.limits = limits;
        this.options = options;
        RateLimit smallest = limits.get(0);
        for (RateLimit l : limits) {
            if (l.limit() < smallest.limit()) {
                smallest = l;
            }
        }
        this.minLimitOwner = smallest;
        this.minLimit = smallest.limit();
        this.limitArgs = new String[limits.size() * 4];
        for (int i = 0; i < limits.size(); i++) {
            RateLimit l = limits.get(i);
            limitArgs[i * 4] = l.algorithm().code;
            limitArgs[i * 4 + 1] = Long.toString(l.limit());
            limitArgs[i * 4 + 2] = Long.toString(l.windowMicros());
            limitArgs[i * 4 + 3] = l.algorithm() == RateLimit.Algorithm.TOKEN_BUCKET
                    ? Long.toString(l.refillTokens()) : "0";
        }
        this.logsRequests = limits.stream().anyMatch(l -> l.algorithm() == RateLimit.Algorithm.SLIDING_LOG);
        this.nearCache = options.nearCacheSize() > 0 ? new DenialCache(options.nearCacheSize()) : null;
        MeterRegistry meters = latchkey.meterRegistry();
        this.allowed = decisions(meters, "allowed");
        this.denied = decisions(meters, "denied");
        this.fallback = decisions(meters, "fallback");
        this.errors = decisions(meters, "error");
        this.nearCacheHits = Counter.builder("latchkey.ratelimit.nearcache.hits").tag("name", name)
                .description("Denials answered from the local near-cache without asking Redis").register(meters);
        this.latency = Timer.builder("latchkey.ratelimit.latency").tag("name", name)
                .description("Round trip of one rate-limit script (successful calls)").register(meters);
    }

    private Counter decisions(MeterRegistry meters, String result) {
        return Counter.builder("latchkey.ratelimit.decisions").tag("name", name).tag("result", result)
                .description("Rate-limit decisions by result; fallback = answered by the failure policy (Redis"
                        + " not answering); error = a permanent Redis error, thrown whatever the policy")
                .register(meters);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<RateLimit> limits() {
        return limits;
    }

    @Override
    public RateLimitDecision tryAcquire(String key) {
        return tryAcquire(key, 1);
    }

    @Override
    public RateLimitDecision tryAcquire(String key, long permits) {
        // The caller's own timed wait bounds the decision (no timer task per call, as the async form needs: that
        // costs a lock and a queue insert and removal on the JDK's shared delayer). Fails only with a permanent
        // error; the failure policy answers the rest.
        Pending p = decide(key, permits);
        long deadline = System.nanoTime() + options.timeout().toNanos();
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return p.decision().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    // as orTimeout would: the call fails with a timeout, and its handler answers by the policy
                    p.call().completeExceptionally(new TimeoutException("no decision within " + options.timeout()));
                    return p.decision().join();
                } catch (InterruptedException e) {
                    interrupted = true; // the decision is bounded by the timeout: keep waiting, as join() did
                } catch (ExecutionException e) {
                    throw Failures.translate(e.getCause());
                }
            }
        } catch (CompletionException e) {
            throw Failures.translate(e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public CompletableFuture<RateLimitDecision> tryAcquireAsync(String key, long permits) {
        Pending p = decide(key, permits);
        if (p.call() != null) {
            // bounds the decision: the call fails with a timeout and its handler answers by the policy
            p.call().orTimeout(options.timeout().toNanos(), TimeUnit.NANOSECONDS);
        }
        return p.decision();
    }

    /**
     * A decision on its way, and the Redis call it waits for ({@code null} when decided without Redis): the caller
     * bounds the call by the timeout, and failing it with a {@link TimeoutException} makes the policy answer.
     */
    private record Pending(CompletableFuture<List<Object>> call, CompletableFuture<RateLimitDecision> decision) {

        static Pending decided(RateLimitDecision d) {
            return new Pending(null, CompletableFuture.completedFuture(d));
        }
    }

    private Pending decide(String key, long permits) {
        Keys.validateKey(key, "key");
        Arguments.positive(permits, "permits");
        if (permits > minLimit) {
            denied.increment();
            return Pending.decided(new RateLimitDecision(RateLimitDecision.Outcome.EXCEEDS_LIMIT,
                    0, minLimitOwner.window(), Duration.ZERO, minLimitOwner, limits, 0));
        }
        if (nearCache != null) {
            RateLimitDecision cached = nearCache.get(key, permits, System.nanoTime());
            if (cached != null) {
                denied.increment();
                nearCacheHits.increment();
                return Pending.decided(cached);
            }
        }
        String[] keys = new String[limits.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = Internals.of(latchkey).keys().key(name, key, limits.get(i).keySuffix());
        }
        String[] args = new String[2 + limitArgs.length];
        // a fresh random id costs about a microsecond of client CPU: only a sliding log stores it
        args[0] = logsRequests ? Ids.newId() : NO_REQUEST_ID;
        args[1] = Long.toString(permits);
        System.arraycopy(limitArgs, 0, args, 2, limitArgs.length);
        long sent = System.nanoTime();
        // core re-sends the same request id if the connection drops before the reply: a sliding log recognises
        // its own entries, counters count a replay twice (they err toward denying)
        CompletableFuture<List<Object>> call;
        try {
            call = Internals.of(latchkey).redis().evalIdempotent(SCRIPT, ScriptOutputType.MULTI, keys, args);
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        return new Pending(call, call.handle((reply, failure) -> {
            if (failure != null) {
                LatchkeyException e = Failures.translate(failure);
                if (!Failures.isTransient(e)) {
                    // Redis answered with an error (NOPERM, a script error...): no policy may hide that
                    errors.increment();
                    throw e;
                }
                return fallback();
            }
            latency.record(System.nanoTime() - sent, TimeUnit.NANOSECONDS);
            RateLimitDecision d = decode(reply, limits);
            if (d.allowed()) {
                allowed.increment();
            } else {
                denied.increment();
                if (nearCache != null) {
                    nearCache.put(key, permits, d, sent);
                }
            }
            return d;
        }));
    }

    private RateLimitDecision fallback() {
        fallback.increment();
        boolean open = options.failurePolicy() == FailurePolicy.FAIL_OPEN;
        return new RateLimitDecision(open ? RateLimitDecision.Outcome.FALLBACK_ALLOWED
                : RateLimitDecision.Outcome.FALLBACK_DENIED, 0, options.fallbackRetryAfter(), Duration.ZERO,
                minLimitOwner, limits, 0);
    }

    /** Turns the script's reply {code, now, (remaining, retry µs, reset µs) per limit} into a decision. */
    static RateLimitDecision decode(List<Object> reply, List<RateLimit> limits) {
        long code = (Long) reply.get(0);
        long now = (Long) reply.get(1);
        int binding = 0;
        long bestRetry = -1;
        long bestRemaining = Long.MAX_VALUE;
        for (int i = 0; i < limits.size(); i++) {
            long remaining = (Long) reply.get(2 + i * 3);
            long retry = (Long) reply.get(3 + i * 3);
            if (code == 1) {
                if (remaining < bestRemaining) {
                    bestRemaining = remaining;
                    binding = i;
                }
            } else if (retry > bestRetry) {
                bestRetry = retry;
                binding = i;
            }
        }
        RateLimitDecision.Outcome outcome = code == 1 ? RateLimitDecision.Outcome.ALLOWED
                : code == 2 ? RateLimitDecision.Outcome.EXCEEDS_LIMIT : RateLimitDecision.Outcome.DENIED;
        long remaining = (Long) reply.get(2 + binding * 3);
        long retry = (Long) reply.get(3 + binding * 3);
        long reset = (Long) reply.get(4 + binding * 3);
        return new RateLimitDecision(outcome, remaining, RateLimitDecision.micros(retry),
                RateLimitDecision.micros(reset), limits.get(binding), limits, now);
    }

    @Override
    public boolean acquire(String key, long permits, Duration maxWait) throws InterruptedException {
        CompletableFuture<Boolean> result = acquireAsync(key, permits, maxWait);
        try {
            return result.get();
        } catch (InterruptedException e) {
            result.cancel(false);
            throw e;
        } catch (ExecutionException e) {
            throw Failures.translate(e.getCause());
        }
    }

    @Override
    public CompletableFuture<Boolean> acquireAsync(String key, long permits, Duration maxWait) {
        Keys.validateKey(key, "key");
        Arguments.positive(permits, "permits");
        long deadline = System.nanoTime() + Arguments.nonNegative(maxWait, "maxWait").toNanos();
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        attempt(key, permits, deadline, result);
        return result;
    }

    private void attempt(String key, long permits, long deadline, CompletableFuture<Boolean> result) {
        if (result.isDone()) {
            return;
        }
        tryAcquireAsync(key, permits).whenComplete((d, failure) -> {
            if (failure != null) {
                result.completeExceptionally(Failures.translate(failure));
                return;
            }
            if (d.allowed()) {
                result.complete(true);
                return;
            }
            long wait = d.retryAfter().toNanos();
            if (d.exceedsLimit() || System.nanoTime() + wait > deadline) {
                result.complete(false);
                return;
            }
            // the retry-after is exact for a quiet key; a small jitter spreads waiters that were denied together
            long jitter = Backoff.jitter(Math.min(wait / 10, TimeUnit.MILLISECONDS.toNanos(5)));
            long delay = Math.min(wait + jitter, Math.max(wait, deadline - System.nanoTime()));
            try {
                Internals.of(latchkey).scheduler().schedule(() -> attempt(key, permits, deadline, result), delay,
                        TimeUnit.NANOSECONDS);
            } catch (RuntimeException closed) {
                result.completeExceptionally(new LatchkeyClosedException("Latchkey is closed", closed));
            }
        });
    }

    @Override
    public String toString() {
        return "RateLimiter[" + name + ", " + limits + ", " + options.failurePolicy() + "]";
    }
}
