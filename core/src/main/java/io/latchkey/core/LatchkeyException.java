package io.latchkey.core;

/**
 * The one unchecked exception Latchkey throws for Redis failures. Raw Lettuce exceptions never escape a Latchkey
 * API. Every failure is one of these subclasses; callers that care about the kind catch the one they handle:
 * <ul>
 *   <li>{@link LatchkeyUnavailableException}: the command was <em>not executed</em>, and Latchkey knows it: it was
 *   rejected before it was written to the connection (no connection, queue full) or Redis refused it before
 *   running it (loading, busy). Safe to retry;</li>
 *   <li>{@link LatchkeyTimeoutException}: the outcome is <em>unknown</em>: no reply in time, or the connection
 *   failed (reset, closed) after the command may have been written. It may have taken effect;</li>
 *   <li>{@link LatchkeyScriptException}: Redis ran or parsed the command and answered with an error (a script
 *   error, a wrong type, {@link LatchkeyPermissionException an ACL refusal}): permanent, retrying will not help;</li>
 *   <li>{@link LatchkeyConfigurationException}: Latchkey cannot connect for a reason retrying will not fix
 *   (wrong password, bad database index, TLS handshake failure);</li>
 *   <li>{@link LatchkeyClosedException}: the client was closed; nothing was sent;</li>
 *   <li>{@link LatchkeyInterruptedException} and {@link LatchkeyCancelledException}: the caller stopped waiting;
 *   a command already sent may still run;</li>
 *   <li>{@link LeaseLostException}: a lease (lock or permit) is no longer held.</li>
 * </ul>
 * Failure policies of rate limiters and deduplicators apply to the first two (Redis not answering) only.
 */
public abstract class LatchkeyException extends RuntimeException {

    /** For subclasses. */
    protected LatchkeyException(String message) {
        super(message);
    }

    /** For subclasses. */
    protected LatchkeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
