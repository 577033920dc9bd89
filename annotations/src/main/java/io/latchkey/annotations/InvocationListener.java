package io.latchkey.annotations;

import java.lang.annotation.Annotation;

/**
 * Told each time a step of a method's chain lets the call through, outermost first, and when the method itself is
 * entered — for tracing and logging (e.g. "lock order:42 acquired"). Register with
 * {@link LatchkeyProxies.Builder#listener(InvocationListener)}. Called on the thread running the chain (for async
 * methods possibly a Redis I/O thread): must be fast and must not block or throw.
 */
@FunctionalInterface
public interface InvocationListener {

    /**
     * A step granted the call.
     *
     * @param method     {@code Type.method(ParamTypes)} of the declaration carrying the annotations
     * @param annotation the annotation type whose coordination is now held, or {@code null} when the method itself
     *                   is being invoked (after every step)
     * @param name       the resolved key or name (lock name, limiter key, semaphore name, dedup/idempotency key), or
     *                   {@code null} for the method itself
     */
    void granted(String method, Class<? extends Annotation> annotation, String name);
}
