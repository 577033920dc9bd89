package io.latchkey.annotations;

import java.util.concurrent.CompletableFuture;

/** One coordination annotation of a method, ready to run: parsed and validated at proxy creation. */
interface Step {

    /** The annotation's position in the chain; smaller is outer. */
    int order();

    /** The annotation type, for messages and ordering. */
    Class<? extends java.lang.annotation.Annotation> annotationType();

    /**
     * The key (or name) of this call, resolved from the arguments before any Redis call of the chain; steps that
     * need more than one value per call return their own holder and override {@link #label(Object)}.
     *
     * @throws NullPointerException     if a referenced value is null
     * @throws IllegalArgumentException if a referenced value is blank or the result is not a valid name
     */
    Object resolve(Object[] args);

    /** The key or name to report for a resolved value (listener, messages). */
    default String label(Object resolved) {
        return String.valueOf(resolved);
    }

    /** Runs {@code next} under this step's coordination, on the calling thread. */
    Object invoke(Object resolved, SyncNext next) throws Throwable;

    /**
     * Runs {@code next} under this step's coordination, held until the future {@code next} returns completes; a wait
     * is registered with {@code cancel} ({@link Cancellation#track}) so a cancelled call stops waiting.
     */
    CompletableFuture<Object> invokeAsync(Object resolved, AsyncNext next, Cancellation cancel);

    /** The rest of the chain, synchronously. */
    @FunctionalInterface
    interface SyncNext {
        Object proceed() throws Throwable;
    }

    /** The rest of the chain, asynchronously; never throws, failures complete the future. */
    @FunctionalInterface
    interface AsyncNext {
        CompletableFuture<Object> proceed();
    }
}
