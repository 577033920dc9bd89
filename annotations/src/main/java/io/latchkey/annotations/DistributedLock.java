package io.latchkey.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the method while holding a {@link io.latchkey.lock.DistributedLock} (single-instance lease lock). The lock is
 * acquired before the call and released after it returns or throws; for a method returning a
 * {@link java.util.concurrent.CompletionStage} it is released when the returned stage completes; for a Reactor
 * {@code Mono}/{@code Flux} it is acquired on subscribe and released on the terminal signal or cancel.
 *
 * <pre>{@code
 * @DistributedLock(name = "order:{orderId}", lease = "30s", maxWait = "5s")
 * Receipt ship(@Key("orderId") String orderId);
 * }</pre>
 *
 * <p>When the lock cannot be acquired within {@link #maxWait()} the call throws {@link LockNotAcquiredException}
 * and the method is not invoked. Redis failures throw {@link io.latchkey.core.LatchkeyException} (locks fail closed).
 * The lock's metrics group is the resolved name up to its first {@code ':'}, so keep a static prefix.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface DistributedLock {

    /**
     * The lock name, a key template (see {@link Key}): {@code "order:{orderId}"}, {@code "job:{0}"},
     * {@code "order:{order.id}"}. Resolved names must not contain {@code '{'} or {@code '}'}.
     */
    String name();

    /**
     * Optional key template appended to the name with a {@code ':'}: {@code name = "order", key = "{orderId}"} is
     * the same lock as {@code name = "order:{orderId}"}. Empty (the default): the name alone.
     */
    String key() default "";

    /**
     * The lease, e.g. {@code "30s"}, {@code "PT30S"}, {@code "500ms"}; {@code > 0}. With the watchdog, the renewal
     * step. Empty (the default): the proxies' {@linkplain LatchkeyProxies.Builder#defaultLease default lease}, 30 s unless configured.
     */
    String lease() default "";

    /** How long to wait for the lock; {@code "0s"} (the default) means a single attempt. */
    String maxWait() default "0s";

    /** Renew the lease every third of it until the method completes (off by default). */
    boolean watchdog() default false;

    /** Position in the chain of coordination annotations; smaller runs first (outermost). See {@link Order}. */
    int order() default Order.DEFAULT;
}
