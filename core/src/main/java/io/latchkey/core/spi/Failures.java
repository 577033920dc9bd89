package io.latchkey.core.spi;

import io.latchkey.core.LatchkeyCancelledException;
import io.latchkey.core.LatchkeyException;
import io.latchkey.core.LatchkeyInterruptedException;
import io.latchkey.core.LatchkeyPermissionException;
import io.latchkey.core.LatchkeyScriptException;
import io.latchkey.core.LatchkeyTimeoutException;
import io.latchkey.core.LatchkeyUnavailableException;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisLoadingException;
import io.lettuce.core.RedisReadOnlyException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Maps client failures to the {@link LatchkeyException} hierarchy. The one rule: a failure counts as "not
 * executed" ({@link LatchkeyUnavailableException}) only when Latchkey knows the command never reached Redis's
 * execution: {@link RedisExecutor} marks a command the client rejected inside the dispatch call (disconnected,
 * queue full, closed) before any byte was written, and Redis's own refusals before running a command (LOADING,
 * BUSY, READONLY, TRYAGAIN, CLUSTERDOWN, MASTERDOWN) say so by their error code. Every other connection failure
 * (a reset, "connection closed", a write error, anything that completed after the dispatch returned) may have
 * followed the command onto the wire, so it is an unknown outcome ({@link LatchkeyTimeoutException}).
 */
public final class Failures {

    private Failures() {
    }

    /** Maps any failure of a Redis call, unwrapping future wrappers. A Latchkey exception is returned as is. */
    public static LatchkeyException translate(Throwable failure) {
        return translate(failure, null);
    }

    /** As {@link #translate(Throwable)}; a Redis error names {@code script} (may be null). */
    static LatchkeyException translate(Throwable failure, LuaScript script) {
        Throwable t = unwrap(failure);
        if (t instanceof LatchkeyException le) {
            return le;
        }
        if (t instanceof RedisCommandTimeoutException || t instanceof TimeoutException) {
            return new LatchkeyTimeoutException("Redis did not answer in time; the command may have taken effect", t);
        }
        if (t instanceof RedisCommandExecutionException) {
            return answered((RedisCommandExecutionException) t, script);
        }
        if (t instanceof RedisCommandInterruptedException || t instanceof InterruptedException) {
            return new LatchkeyInterruptedException("interrupted while waiting for Redis; the command may still run",
                    t);
        }
        if (t instanceof CancellationException) {
            return new LatchkeyCancelledException("the Redis call was cancelled; the command may still run", t);
        }
        // "Connection reset by peer", "Connection closed", a channel write error, a connection to a cluster node
        // that failed after dispatch: the command may have been written before it, so it may have run
        return new LatchkeyTimeoutException("the connection failed before Redis answered (" + t
                + "); the command may have taken effect", t);
    }

    private static LatchkeyException answered(RedisCommandExecutionException t, LuaScript script) {
        String what = script == null ? "Redis answered with an error: "
                : "Redis answered script " + script.name() + " with an error: ";
        String code = errorCode(t.getMessage());
        if (t instanceof RedisLoadingException || t instanceof RedisBusyException
                || t instanceof RedisReadOnlyException || code.equals("TRYAGAIN") || code.equals("CLUSTERDOWN")
                || code.equals("MASTERDOWN")) {
            // refused before it ran: transient, and not executed
            return new LatchkeyUnavailableException("Redis refused the command for now: " + t.getMessage(), t);
        }
        if (code.equals("NOPERM") || code.equals("NOAUTH")) {
            return new LatchkeyPermissionException(what + t.getMessage(), t);
        }
        return new LatchkeyScriptException(what + t.getMessage(), t);
    }

    /** A RESP error's code: its first word, which Redis defines as the error's kind (e.g. NOPERM, WRONGTYPE). */
    private static String errorCode(String message) {
        if (message == null) {
            return "";
        }
        int end = message.indexOf(' ');
        return end < 0 ? message : message.substring(0, end);
    }

    /**
     * Whether {@code e} means Redis did not answer (not executed, or outcome unknown): the only failures a
     * {@link io.latchkey.core.FailurePolicy} applies to. Redis errors, a closed client, interruption and
     * cancellation are not: they are thrown whatever the policy.
     */
    public static boolean isTransient(LatchkeyException e) {
        return e instanceof LatchkeyUnavailableException || e instanceof LatchkeyTimeoutException;
    }

    /** The cause behind {@link CompletionException}/{@link ExecutionException} layers. */
    public static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
