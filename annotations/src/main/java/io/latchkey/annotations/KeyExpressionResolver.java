package io.latchkey.annotations;

import java.lang.reflect.Method;
import java.util.Optional;
import java.util.function.Function;

/**
 * Compiles key attributes in an expression language of the caller's choice (e.g. Spring's SpEL for
 * {@code "#orderId"} or {@code "'order:' + #order.customer.id"}), so the annotations module needs no such
 * dependency. Register with {@link LatchkeyProxies.Builder#keyExpressions(KeyExpressionResolver)}.
 *
 * <p>Asked once per key attribute at planning time ({@link LatchkeyProxies#plan} / {@link LatchkeyProxies#proxy}),
 * after the {@linkplain LatchkeyProxies.Builder#attributeResolver attribute resolver}, for:
 * {@link DistributedLock#name()}, {@link DistributedLock#key()}, {@link RateLimited#key()},
 * {@link Deduplicated#key()}, {@link Idempotent#key()} and {@link Idempotent#payload()} (non-blank values only).
 * Returning {@link Optional#empty()} declines, and the attribute is parsed as a built-in template such as
 * {@code "order:{orderId}"} (see {@link Key}).
 *
 * <p>The returned function is called on every call (or subscription), with the method's arguments, before any
 * Redis call, possibly on several threads at once: it must be thread-safe. A {@code null} or blank result fails the
 * call with {@link NullPointerException} / {@link IllegalArgumentException} naming the method and attribute; an
 * exception it throws propagates unchanged. A {@code @DistributedLock} name that an expression produces must still
 * be a valid lock name (no {@code '{'} or {@code '}'}).
 */
@FunctionalInterface
public interface KeyExpressionResolver {

    /**
     * Compiles {@code expression}, or declines.
     *
     * @param method     the method whose annotation carries the attribute (the class method, or the interface method
     *                   when the annotations were read from there); its parameters are the arguments' layout
     * @param expression the attribute's text, e.g. {@code "#orderId"}
     * @return the compiled expression (arguments to key), or empty to use the built-in template syntax
     * @throws IllegalArgumentException if the expression is meant for this resolver but invalid; planning then
     *                                  fails with the method and attribute named
     */
    Optional<Function<Object[], String>> compile(Method method, String expression);
}
