package io.latchkey.core.spi;

import io.latchkey.core.LatchkeyClosedException;
import io.latchkey.core.LatchkeyException;
import io.latchkey.core.LatchkeyTimeoutException;
import io.latchkey.core.LatchkeyUnavailableException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.ArrayOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolKeyword;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * The one way Latchkey modules talk to Redis: scripts by EVALSHA with a transparent NOSCRIPT fallback (after a
 * restart, failover or SCRIPT FLUSH), plain commands, and blocking waits, all with failures translated into the
 * {@link LatchkeyException} hierarchy. Works the same on a standalone server and on Redis Cluster.
 *
 * <p>"Not executed" is known at one place only: with {@code REJECT_COMMANDS}, Lettuce fails a command it will
 * not write (disconnected, closed) inside the dispatch call, before any byte is written. So a command dispatched
 * while the connection was down, whose future failed with the client's own rejection before the dispatch returned,
 * never left the client ({@link LatchkeyUnavailableException}). Every other connection failure may have followed
 * the command onto the wire (a reply can even arrive before the dispatch returns, on a loaded machine), so it is
 * an unknown outcome ({@link Failures}). A full request queue on a live connection is therefore reported as
 * unknown too: the cautious side.
 */
public final class RedisExecutor {

    private static final System.Logger LOG = System.getLogger(RedisExecutor.class.getName());
    /** Re-sends of a request-id script while the connection reconnects: quick, it is one command's wait. */
    private static final Backoff RESEND = Backoff.exponential(Duration.ofMillis(5), Duration.ofMillis(100));
    /** Background clean-up while Redis is unreachable: patient, it may outlast an outage. */
    private static final Backoff EVENTUALLY = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(2));

    private final RedisClusterAsyncCommands<String, String> commands;
    private final Duration timeout;
    private final Counter scriptReloads;
    private final Counter resends;
    private final ScheduledExecutorService scheduler;
    // every script sent so far, by SHA: what ping() asks the server's script cache about
    private final Map<String, LuaScript> scriptsSent = new ConcurrentHashMap<>();
    private final BooleanSupplier open;
    private final BooleanSupplier closed;

    /**
     * @param open   whether the command connection is up (read before each dispatch: one field read)
     * @param closed whether the owning client was closed (asked only when a command is rejected)
     */
    public RedisExecutor(RedisClusterAsyncCommands<String, String> commands, Duration timeout, MeterRegistry meters,
                         ScheduledExecutorService scheduler, BooleanSupplier open, BooleanSupplier closed) {
        this.commands = commands;
        this.open = open;
        this.closed = closed;
        this.timeout = timeout;
        this.scheduler = scheduler;
        this.resends = Counter.builder("latchkey.core.script.resends")
                .description("idempotent scripts sent again after the connection dropped before their reply")
                .register(meters);
        this.scriptReloads = Counter.builder("latchkey.core.script.reloads")
                .description("EVALSHA calls that found the script missing (NOSCRIPT) and re-sent it with EVAL")
                .register(meters);
    }

    /**
     * Runs {@code script} with EVALSHA; on NOSCRIPT re-sends it with EVAL (which also caches it again).
     * The future fails with a {@link LatchkeyException}.
     *
     * @param type what the script returns (INTEGER, MULTI, VALUE, STATUS, BOOLEAN)
     */
    public <T> CompletableFuture<T> eval(LuaScript script, ScriptOutputType type, String[] keys, String... args) {
        CompletableFuture<T> result = new CompletableFuture<>();
        this.<T>evalRaw(script, type, keys, args).whenComplete((v, f) -> {
            if (f == null) {
                result.complete(v);
            } else {
                result.completeExceptionally(Failures.translate(f, script));
            }
        });
        return result;
    }

    /**
     * EVALSHA with the NOSCRIPT fallback; a command rejected before it was written fails with
     * {@link LatchkeyUnavailableException}, other failures are left as the client raised them.
     */
    private <T> CompletableFuture<T> evalRaw(LuaScript script, ScriptOutputType type, String[] keys, String[] args) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (!scriptsSent.containsKey(script.sha())) {
            scriptsSent.put(script.sha(), script);
        }
        RedisFuture<T> first;
        boolean down = !open.getAsBoolean();
        try {
            first = commands.evalsha(script.sha(), type, keys, args);
        } catch (RuntimeException e) {
            result.completeExceptionally(notSent(e));
            return result;
        }
        boolean doneInDispatch = down && first.isDone();
        first.whenComplete((value, failure) -> {
            if (failure == null) {
                result.complete(value);
            } else if (doneInDispatch && isRejection(failure)) {
                result.completeExceptionally(notSent(failure));
            } else if (Failures.unwrap(failure) instanceof RedisNoScriptException) {
                scriptReloads.increment();
                RedisFuture<T> again;
                boolean againDown = !open.getAsBoolean();
                try {
                    again = commands.eval(script.source(), type, keys, args);
                } catch (RuntimeException e) {
                    result.completeExceptionally(notSent(e));
                    return;
                }
                boolean againDoneInDispatch = againDown && again.isDone();
                again.whenComplete((v, f) -> {
                    if (f == null) {
                        result.complete(v);
                    } else {
                        result.completeExceptionally(againDoneInDispatch && isRejection(f) ? notSent(f) : f);
                    }
                });
            } else {
                result.completeExceptionally(failure);
            }
        });
        return result;
    }

    /**
     * Runs a script that recognises its own request id (a replay answers as the first run did), sending it again
     * with the same arguments when the connection drops before the reply or rejects it while reconnecting, for up
     * to one command timeout. This is the replay Lettuce would do with commands queued across a reconnect, made
     * explicit: Latchkey's connection fails fast instead. A timeout is not re-sent (it has already cost a whole
     * command timeout) and fails with {@link LatchkeyTimeoutException}, as does running out of time after a
     * possibly executed attempt; if no attempt can have run, it fails with
     * {@link io.latchkey.core.LatchkeyUnavailableException}.
     */
    public <T> CompletableFuture<T> evalIdempotent(LuaScript script, ScriptOutputType type, String[] keys,
                                                   String... args) {
        return evalIdempotent(script, type, keys, args, () -> { });
    }

    /**
     * As {@link #evalIdempotent(LuaScript, ScriptOutputType, String[], String...)}; {@code onResend} runs before
     * each re-send, for scripts whose answer reads differently when an earlier run's reply was lost (a release
     * that finds nothing to release after a re-send most likely released it the first time).
     */
    public <T> CompletableFuture<T> evalIdempotent(LuaScript script, ScriptOutputType type, String[] keys,
                                                   String[] args, Runnable onResend) {
        CompletableFuture<T> result = new CompletableFuture<>();
        resend(script, type, keys, args, 0, System.nanoTime() + timeout.toNanos(), false, onResend, result);
        return result;
    }

    /**
     * Best-effort background delivery of an idempotent clean-up script (a release after a timed-out acquire, a
     * release during an outage): re-sent with backoff while Redis is unreachable or the outcome is unknown, until
     * it lands or {@code giveUpNanos} ({@link System#nanoTime()} scale; e.g. the lease's end, after which there is
     * nothing left to clean up). The future completes with the script's answer, or exceptionally once given up.
     */
    public <T> CompletableFuture<T> evalEventually(LuaScript script, ScriptOutputType type, String[] keys,
                                                   String[] args, long giveUpNanos) {
        CompletableFuture<T> result = new CompletableFuture<>();
        eventually(script, type, keys, args, giveUpNanos, 1, result);
        return result;
    }

    private <T> void eventually(LuaScript script, ScriptOutputType type, String[] keys, String[] args,
                                long giveUpNanos, int attempt, CompletableFuture<T> result) {
        this.<T>evalIdempotent(script, type, keys, args).whenComplete((value, failure) -> {
            if (failure == null) {
                result.complete(value);
                return;
            }
            LatchkeyException e = Failures.translate(failure, script);
            long delayMs = EVENTUALLY.delayMillis(attempt - 1);
            if (!Failures.isTransient(e)
                    || System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMs) - giveUpNanos >= 0) {
                LOG.log(System.Logger.Level.WARNING, () -> "background " + script.name() + " on " + keys[0]
                        + " gave up after " + attempt + " attempt(s): " + e.getMessage());
                result.completeExceptionally(e);
                return;
            }
            try {
                scheduler.schedule(() -> eventually(script, type, keys, args, giveUpNanos, attempt + 1, result),
                        delayMs, TimeUnit.MILLISECONDS);
            } catch (RuntimeException closed) {
                LOG.log(System.Logger.Level.DEBUG, () -> "background " + script.name() + " on " + keys[0]
                        + " stopped: the client is closing");
                result.completeExceptionally(e); // the client is closing
            }
        });
    }

    private <T> void resend(LuaScript script, ScriptOutputType type, String[] keys, String[] args, int attempt,
                            long giveUpNanos, boolean mayHaveRun, Runnable onResend, CompletableFuture<T> result) {
        this.<T>evalRaw(script, type, keys, args).whenComplete((value, failure) -> {
            if (failure == null) {
                result.complete(value);
                return;
            }
            LatchkeyException e = Failures.translate(failure, script);
            // not sent (or refused before running): nothing ran; any other connection failure: it may have run.
            // A timeout is not re-sent: it has already cost a whole command timeout.
            boolean rejected = e instanceof LatchkeyUnavailableException;
            boolean lost = e instanceof LatchkeyTimeoutException && !isTimeout(failure);
            long delayMs = RESEND.delayMillis(attempt);
            boolean timeLeft = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMs) - giveUpNanos < 0;
            if ((lost || rejected) && timeLeft && !result.isDone()) {
                resends.increment();
                try {
                    scheduler.schedule(() -> {
                        onResend.run();
                        resend(script, type, keys, args, attempt + 1, giveUpNanos, mayHaveRun || lost, onResend,
                                result);
                    }, delayMs, TimeUnit.MILLISECONDS);
                    return;
                } catch (RuntimeException closed) {
                    // the client is closing: report what we know
                }
            }
            if (mayHaveRun && e instanceof LatchkeyUnavailableException) {
                e = new LatchkeyTimeoutException("Redis became unavailable after an attempt whose reply was lost;"
                        + " the command may have taken effect", failure);
            }
            result.completeExceptionally(e);
        });
    }

    private static boolean isTimeout(Throwable failure) {
        Throwable t = Failures.unwrap(failure);
        return t instanceof io.lettuce.core.RedisCommandTimeoutException || t instanceof TimeoutException;
    }

    /**
     * The client's own refusal to write (a plain {@link io.lettuce.core.RedisException}, as Lettuce's endpoint and
     * cluster writer raise for "not connected" and "closed"), not a Redis reply nor an I/O error.
     */
    private static boolean isRejection(Throwable failure) {
        return Failures.unwrap(failure).getClass() == io.lettuce.core.RedisException.class;
    }

    /**
     * A command the client failed inside the dispatch call while the connection was down, or whose dispatch threw:
     * it was never written (rejected while disconnected, client closed).
     */
    private LatchkeyException notSent(Throwable failure) {
        Throwable t = Failures.unwrap(failure);
        if (t instanceof LatchkeyException le) {
            return le;
        }
        if (closed.getAsBoolean()) {
            return new LatchkeyClosedException("the Latchkey client is closed; the command was not sent", t);
        }
        return new LatchkeyUnavailableException("Redis is unavailable, the command was not sent: " + t.getMessage(), t);
    }

    /** Runs {@code script} and waits for its result. */
    public <T> T evalSync(LuaScript script, ScriptOutputType type, String[] keys, String... args) {
        return await(eval(script, type, keys, args));
    }

    /** Sends any other command, e.g. {@code redis().call(c -> c.pttl(key))}. */
    public <T> CompletableFuture<T> call(Function<RedisClusterAsyncCommands<String, String>, RedisFuture<T>> command) {
        CompletableFuture<T> result = new CompletableFuture<>();
        RedisFuture<T> sent;
        boolean down = !open.getAsBoolean();
        try {
            sent = command.apply(commands);
        } catch (RuntimeException e) {
            result.completeExceptionally(notSent(e));
            return result;
        }
        boolean doneInDispatch = down && sent.isDone();
        sent.whenComplete((v, f) -> {
            if (f == null) {
                result.complete(v);
            } else {
                result.completeExceptionally(doneInDispatch && isRejection(f) ? notSent(f) : Failures.translate(f));
            }
        });
        return result;
    }

    /** Sends a command and waits for its result. */
    public <T> T callSync(Function<RedisClusterAsyncCommands<String, String>, RedisFuture<T>> command) {
        return await(call(command));
    }

    /** Redis {@code TIME} in microseconds. */
    public long serverTimeMicros() {
        List<String> time = callSync(RedisClusterAsyncCommands::time);
        return Long.parseLong(time.get(0)) * 1_000_000L + Long.parseLong(time.get(1));
    }

    /**
     * One PING, then (when scripts were sent) one SCRIPT EXISTS for every script sent so far: by script name,
     * whether the server still caches it. Throws {@link LatchkeyException} when Redis does not answer.
     */
    public Map<String, Boolean> ping() {
        callSync(RedisClusterAsyncCommands::ping);
        List<LuaScript> scripts = List.copyOf(scriptsSent.values());
        Map<String, Boolean> cached = new LinkedHashMap<>();
        if (scripts.isEmpty()) {
            return cached;
        }
        String[] shas = scripts.stream().map(LuaScript::sha).toArray(String[]::new);
        List<Boolean> exists = callSync(c -> c.scriptExists(shas));
        for (int i = 0; i < scripts.size(); i++) {
            cached.merge(scripts.get(i).name(), exists.get(i), Boolean::logicalAnd);
        }
        return cached;
    }

    /**
     * Waits until {@code replicas} replicas confirmed every write this client's connection made so far (a lock or
     * semaphore grant just answered), at most {@code timeout}: {@code WAIT replicas timeout}, or on Redis 7.2+ whose
     * primary runs with AOF {@code WAITAOF 1 replicas timeout} (probed once). WAIT cannot run inside a script and
     * counts the writes of the connection it runs on, so it follows the grant on the same connection; a
     * {@code PUBLISH} to {@code barrierChannel} goes first, pipelined, so the connection's last write is after the
     * grant even when the grant was a replay or another client's hand-over. The cost: one extra round trip, and the
     * shared connection's later commands queue behind the WAIT for up to {@code timeout} when replicas lag.
     * Standalone and Sentinel only (a cluster routes WAIT to an arbitrary node).
     */
    public CompletableFuture<io.latchkey.core.Replication> awaitReplicas(String barrierChannel, int replicas,
                                                                         Duration timeout) {
        long ms = timeout.toMillis();
        return waitAofSupported().thenCompose(aof -> {
            commands.publish(barrierChannel, "");
            if (!aof) {
                return call(c -> c.waitForReplication(replicas, ms))
                        .thenApply(n -> io.latchkey.core.Replication.of(replicas, n.intValue(), false));
            }
            CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8).add(1).add(replicas).add(ms);
            return this.<List<Object>>call(c -> c.dispatch(WAITAOF, new ArrayOutput<>(StringCodec.UTF8), args))
                    .thenApply(reply -> {
                        boolean local = ((Number) reply.get(0)).longValue() >= 1;
                        int acked = ((Number) reply.get(1)).intValue();
                        // the primary's own fsync failing to happen in time counts as not reached
                        return io.latchkey.core.Replication.of(replicas, local ? acked : 0, true);
                    });
        });
    }

    private static final ProtocolKeyword WAITAOF = new ProtocolKeyword() {
        private final byte[] bytes = "WAITAOF".getBytes(StandardCharsets.US_ASCII);

        @Override
        public byte[] getBytes() {
            return bytes;
        }

        @Override
        public String toString() {
            return "WAITAOF";
        }
    };

    private final AtomicReference<CompletableFuture<Boolean>> waitAof = new AtomicReference<>();

    /** Whether WAITAOF applies: Redis 7.2+ with {@code aof_enabled:1}; probed once, again after a failed probe. */
    private CompletableFuture<Boolean> waitAofSupported() {
        CompletableFuture<Boolean> known = waitAof.get();
        if (known != null) {
            return known;
        }
        CompletableFuture<Boolean> probe = new CompletableFuture<>();
        if (!waitAof.compareAndSet(null, probe)) {
            return waitAof.get();
        }
        call(c -> c.info("server")).thenCombine(call(c -> c.info("persistence")),
                        (server, persistence) -> supportsWaitAof(server, persistence))
                .whenComplete((ok, failure) -> {
                    if (failure != null) {
                        waitAof.set(null);
                        probe.completeExceptionally(failure);
                    } else {
                        probe.complete(ok);
                    }
                });
        return probe;
    }

    /** From {@code INFO server} and {@code INFO persistence}: version 7.2 or later and AOF on. */
    static boolean supportsWaitAof(String serverInfo, String persistenceInfo) {
        String version = infoField(serverInfo, "redis_version");
        if (version == null || !"1".equals(infoField(persistenceInfo, "aof_enabled"))) {
            return false;
        }
        String[] parts = version.split("\\.");
        try {
            int major = Integer.parseInt(parts[0]);
            int minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return major > 7 || (major == 7 && minor >= 2);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String infoField(String info, String field) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1).trim();
            }
        }
        return null;
    }

    /** The command timeout; a bound on how long {@link #await} can block on one command. */
    public Duration timeout() {
        return timeout;
    }

    /**
     * Waits for a Redis future, translating failures. Interruption restores the interrupt flag and throws a
     * {@link LatchkeyException}: the command may still run.
     */
    public <T> T await(CompletionStage<T> stage) {
        CompletableFuture<T> future = stage.toCompletableFuture();
        try {
            // Lettuce times every command out itself; the margin only guards against a lost completion.
            return future.get(timeout.toMillis() * 2 + 1_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw Failures.translate(e.getCause());
        } catch (TimeoutException e) {
            throw new LatchkeyTimeoutException("no reply from Redis within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Failures.translate(e);
        }
    }
}
