package io.latchkey.annotations;

import java.lang.reflect.Method;

/**
 * One method's coordination chain, planned once by {@link LatchkeyProxies#plan(Class, Method)} and run on every
 * call with {@link #invoke(Object[], Invocation)}: the seam an interceptor (for example a Spring AOP
 * {@code MethodInterceptor} on a CGLIB proxy) uses to apply {@link DistributedLock}, {@link RateLimited},
 * {@link Deduplicated}, {@link Idempotent} and {@link ConcurrencyLimited} with exactly the behaviour of
 * {@link LatchkeyProxies#proxy}, which runs through the same type. Immutable and thread-safe: plan once per method
 * and target class, cache it, call it concurrently.
 *
 * <p>What {@code invoke} returns and when {@code proceed} runs depends on the method's return type:
 * <ul>
 *   <li><b>a plain value or {@code void}</b>: every step is taken on the calling thread (waits block it), then
 *       {@code proceed} runs once on the calling thread, and the coordination is released when it returns or
 *       throws; {@code invoke} returns its result (or a duplicate's empty value, or an idempotent replay) and
 *       throws what it throws, or a {@link CoordinationRejectedException} if a step refused the call.</li>
 *   <li><b>{@code CompletionStage} / {@code CompletableFuture}</b>: {@code invoke} returns a
 *       {@code CompletableFuture} at once; steps are taken with the primitives' async calls, and {@code proceed}
 *       runs once — on the calling thread when everything was granted at once, otherwise on the factory's
 *       {@linkplain LatchkeyProxies.Builder#asyncExecutor async executor} — and the coordination is held until the
 *       stage it returns completes. Rejections and failures complete the future exceptionally. Cancelling the
 *       returned future abandons a pending wait; once {@code proceed} has run, the coordination stays held until
 *       its stage completes (cancelling a future does not stop the work behind it).</li>
 *   <li><b>Reactor {@code Mono} / {@code Flux}</b> (when Reactor is on the classpath): {@code invoke} returns a
 *       cold {@code Mono}/{@code Flux} at once and does nothing else. Each subscription resolves the keys, takes
 *       every step without blocking, then calls {@code proceed} (with its own copy of {@code arguments}) and
 *       subscribes to what it returns; the coordination is held until that publisher's terminal signal or a
 *       cancel, released exactly once, and released <em>before</em> the terminal signal reaches the subscriber.
 *       Rejections, failures and bad arguments are error signals. Never subscribed: nothing happens.</li>
 * </ul>
 *
 * <p>{@code arguments} is the method's argument array ({@code null} is accepted for no arguments). A
 * {@link FencingToken} parameter is written into the array passed to {@code proceed}, so for a plain or future
 * method pass the array that the real call will use (with Spring: {@code invocation.getArguments()} and
 * {@code args -> invocation.proceed()}, or {@code args -> ((ProxyMethodInvocation) invocation)
 * .invocableClone(args).proceed()} which is also right for reactive methods, whose {@code proceed} runs once per
 * subscription and possibly after {@code invoke} returned, on another thread).
 */
public interface AnnotatedMethod {

    /** The method whose annotations this chain applies (the class method, or the interface method they were read from). */
    Method method();

    /** {@code DeclaringType.method(ParamTypes)}, as used in exception messages and {@link InvocationListener}. */
    String description();

    /**
     * Runs one call through the chain; see {@link AnnotatedMethod} for each return type.
     *
     * @param arguments the call's arguments ({@code null} or empty for none); keys are resolved from them before any
     *                  Redis call, and a bad value throws {@link NullPointerException} / {@link IllegalArgumentException}
     *                  naming the method and attribute (for reactive methods: as an error signal)
     * @param proceed   the call to run under the coordination
     * @return what the method returns, a duplicate's empty value or a replayed result
     * @throws Throwable what {@code proceed} throws, a {@link CoordinationRejectedException}, a
     *                   {@link io.latchkey.core.LatchkeyException} on Redis failure (per the failure policies), or
     *                   {@link InterruptedException} if the method declares it and a wait was interrupted
     */
    Object invoke(Object[] arguments, Invocation proceed) throws Throwable;
}
