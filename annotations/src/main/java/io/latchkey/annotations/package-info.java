/**
 * Coordination annotations for service methods, wired without Spring.
 *
 * <p>Put {@link io.latchkey.annotations.Idempotent}, {@link io.latchkey.annotations.Deduplicated},
 * {@link io.latchkey.annotations.RateLimited}, {@link io.latchkey.annotations.ConcurrencyLimited} and
 * {@link io.latchkey.annotations.DistributedLock} on the methods of a service interface, name parameters for key
 * templates with {@link io.latchkey.annotations.Key}, and wrap the implementation once at startup:
 *
 * <pre>{@code
 * OrderService orders = LatchkeyProxies.of(latchkey).proxy(OrderService.class, new DefaultOrderService());
 * }</pre>
 *
 * <p>Interceptors of other frameworks (Spring AOP) apply the same chains to ordinary classes through
 * {@link io.latchkey.annotations.LatchkeyProxies#plan(Class, java.lang.reflect.Method)} and
 * {@link io.latchkey.annotations.AnnotatedMethod}. Methods may return values, {@code CompletionStage}, or Reactor's
 * {@code Mono}/{@code Flux} (Reactor is optional).
 *
 * <p>Every annotation is parsed and validated when the proxy is created. Several annotations on one method run in
 * the order of {@link io.latchkey.annotations.Order}. See {@code docs/annotations.md}.
 */
package io.latchkey.annotations;
