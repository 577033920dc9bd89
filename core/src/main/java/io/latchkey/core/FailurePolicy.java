package io.latchkey.core;

/**
 * What a rate limiter or deduplicator answers when Redis cannot be asked. Every fallback answer is counted in the
 * primitive's metrics ({@code result=fallback}). Locks and semaphores always fail closed and take no policy.
 */
public enum FailurePolicy {
    /** Deny the request (rate limiter) or throw so the message is redelivered (deduplicator). The default. */
    FAIL_CLOSED,
    /** Allow the request (rate limiter) or treat the id as first seen (deduplicator). */
    FAIL_OPEN
}
