package io.latchkey.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the method while holding one permit of a {@link io.latchkey.semaphore.DistributedSemaphore}: at most
 * {@link #permits()} calls run at once across every process sharing the Redis deployment. The permit is returned
 * when the method returns or throws (for a {@link java.util.concurrent.CompletionStage}: when the stage completes;
 * for a Reactor {@code Mono}/{@code Flux}: taken on subscribe, returned on the terminal signal or cancel).
 *
 * <pre>{@code
 * @ConcurrencyLimited(name = "pdf-render", permits = 4, lease = "2m", maxWait = "10s")
 * byte[] render(Invoice invoice);
 * }</pre>
 *
 * <p>No free permit within {@link #maxWait()}: {@link ConcurrencyLimitExceededException}, the method is not invoked.
 * The semaphore name is static (it is the bounded metrics tag); every method naming the same semaphore must declare
 * the same {@link #permits()}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ConcurrencyLimited {

    /** The semaphore name; empty (the default): {@code <TypeSimpleName>.<method>} of the type declaring the annotation. */
    String name() default "";

    /** The most concurrent calls; {@code > 0}. */
    int permits();

    /**
     * The permit's lease; {@code > 0}. A crashed holder's permit returns after it. Empty (the default): the proxies' {@linkplain LatchkeyProxies.Builder#defaultLease default lease}, 30 s unless configured.
     */
    String lease() default "";

    /** How long to wait for a permit; {@code "0s"} (the default) means a single attempt. */
    String maxWait() default "0s";

    /** Renew the permit every third of its lease until the method completes (off by default). */
    boolean watchdog() default false;

    /** Position in the chain of coordination annotations; smaller runs first (outermost). See {@link Order}. */
    int order() default Order.DEFAULT;
}
