package io.latchkey.annotations;

/**
 * The call an {@link AnnotatedMethod} runs once its coordination is held: the target method itself, or whatever an
 * interceptor chain does next (e.g. Spring's {@code MethodInvocation.proceed()}).
 *
 * <p>{@code arguments} is the argument array to call the method with: the one given to
 * {@link AnnotatedMethod#invoke(Object[], Invocation)}, or — for a reactive method, once per subscription — a copy
 * of it; a {@link FencingToken} parameter has already been set in it. Use it rather than an array captured
 * elsewhere. How often and where {@code proceed} runs is described on {@link AnnotatedMethod}.
 */
@FunctionalInterface
public interface Invocation {

    /**
     * Calls the method with {@code arguments} and returns what it returns (a {@code CompletionStage},
     * {@code Mono} or {@code Flux} for such methods), throwing what it throws.
     */
    Object proceed(Object[] arguments) throws Throwable;
}
