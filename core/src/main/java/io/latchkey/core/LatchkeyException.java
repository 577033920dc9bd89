package io.latchkey.core;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * The one unchecked exception Latchkey throws for Redis failures. Callers that care about the kind of failure
 * catch one of the three subclasses:
 * <ul>
 *   <li>{@link LatchkeyUnavailableException}: the command was not executed (no connection, rejected while
 *   reconnecting, refused, queue full);</li>
 *   <li>{@link LatchkeyTimeoutException}: no reply (timed out, or the connection dropped after the command was
 *   written, see {@link #lostInFlight}): it <em>may</em> have taken effect;</li>
 *   <li>{@link LatchkeyScriptException}: Redis answered with an error (a script or command error).</li>
 * </ul>
 * Raw Lettuce exceptions never escape a Latchkey API.
 */
public class LatchkeyException extends RuntimeException {

    public LatchkeyException(String message) {
        super(message);
    }

    public LatchkeyException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Maps any failure of a Redis call to the Latchkey hierarchy, unwrapping future wrappers. A Latchkey exception
     * is returned as is.
     */
    public static LatchkeyException translate(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof LatchkeyException le) {
            return le;
        }
        if (t instanceof RedisCommandTimeoutException || t instanceof TimeoutException) {
            return new LatchkeyTimeoutException("Redis did not answer in time; the command may have taken effect", t);
        }
        if (t instanceof RedisCommandExecutionException) {
            return new LatchkeyScriptException("Redis answered with an error: " + t.getMessage(), t);
        }
        if (t instanceof RedisCommandInterruptedException || t instanceof InterruptedException) {
            return new LatchkeyException("interrupted while waiting for Redis", t);
        }
        if (t instanceof CancellationException) {
            return new LatchkeyException("the Redis call was cancelled", t);
        }
        if (lostInFlight(t)) {
            // written before the connection dropped: it may have run, so this is no "not executed"
            return new LatchkeyTimeoutException("the connection dropped before Redis answered; the command may have"
                    + " taken effect", t);
        }
        // RedisConnectionException, "Currently not connected. Commands are rejected.", queue full
        return new LatchkeyUnavailableException("Redis is unavailable: " + t.getMessage(), t);
    }

    /**
     * Whether a raw client failure means "written, reply lost": the connection closed under a command in flight.
     * Distinct from a command rejected before it was sent (not executed).
     */
    public static boolean lostInFlight(Throwable failure) {
        Throwable t = unwrap(failure);
        if (!(t instanceof RedisException) || t instanceof RedisCommandExecutionException
                || t instanceof RedisConnectionException || t instanceof RedisCommandTimeoutException) {
            return false;
        }
        String m = String.valueOf(t.getMessage());
        return m.contains("Connection disconnected") || m.contains("Connection closed");
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
