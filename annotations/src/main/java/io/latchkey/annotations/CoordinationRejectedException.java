package io.latchkey.annotations;

/**
 * A coordination annotation did not let the call through (lock not acquired, rate limit exceeded, no permit,
 * duplicate call); the method was not invoked. Not a Redis failure: those are
 * {@link io.latchkey.core.LatchkeyException}s and propagate as they are.
 */
public abstract class CoordinationRejectedException extends RuntimeException {

    private final String method;
    private final String name;

    CoordinationRejectedException(String method, String name, String message, Throwable cause) {
        super(message, cause);
        this.method = method;
        this.name = name;
    }

    /** The rejected method, as {@code Type.method(ParamTypes)} of the declaration carrying the annotations. */
    public String method() {
        return method;
    }

    /** The resolved name of the lock, limiter, semaphore or deduplicator that rejected the call. */
    public String name() {
        return name;
    }
}
