package io.latchkey.core;

/**
 * What a rate limiter or deduplicator answers when Redis does not answer: the command was not executed
 * ({@link LatchkeyUnavailableException}) or its outcome is unknown ({@link LatchkeyTimeoutException}). Every fallback
 * answer is counted in the primitive's metrics ({@code result=fallback}). A policy never hides Redis saying no: a
 * permanent error ({@link LatchkeyScriptException}, e.g. NOPERM or a script error), a closed client or an interrupt
 * is thrown whatever the policy (and counted as {@code result=error}). Locks and semaphores always fail closed and
 * take no policy.
 */
public enum FailurePolicy {
    /** Deny the request (rate limiter) or throw so the message is redelivered (deduplicator). The default. */
    FAIL_CLOSED,
    /** Allow the request (rate limiter) or treat the id as first seen (deduplicator). */
    FAIL_OPEN
}
