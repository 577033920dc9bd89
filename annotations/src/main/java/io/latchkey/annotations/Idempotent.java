package io.latchkey.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the method at most once per idempotency key within the TTL and replays its result to later calls, through
 * the dedup module's {@link io.latchkey.dedup.IdempotentExecutor}: the first call claims the key, runs, and stores
 * its result; a later call with the same key returns the stored result without running the method.
 *
 * <pre>{@code
 * @Idempotent(key = "{request.idempotencyKey}", ttl = "24h")
 * String charge(@Key("request") ChargeRequest request);
 * }</pre>
 *
 * <p>Results are stored with a {@link io.latchkey.dedup.ResultCodec}: built in for {@code void}, {@code String},
 * boxed and primitive numbers and booleans, and {@code byte[]}; register others with
 * {@link LatchkeyProxies.Builder#resultCodec(Class, io.latchkey.dedup.ResultCodec)} (a missing codec fails at proxy
 * creation). For a {@link java.util.concurrent.CompletionStage} the codec of its type argument is used.
 * A concurrent duplicate gets {@link io.latchkey.dedup.IdempotencyInProgressException} unless
 * {@link #waitForResult()} is set. A failed call removes its claim and the exception propagates unchanged.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Idempotent {

    /** The idempotency key template, e.g. {@code "{requestId}"}; required, not blank. */
    String key();

    /**
     * Optional payload template whose resolved text fingerprints the request (SHA-256): the same key with a
     * different payload fails with {@link io.latchkey.dedup.IdempotencyMismatchException} instead of replaying, e.g.
     * {@code payload = "{request.customerId}:{request.cents}"}. Empty (the default): no fingerprint.
     */
    String payload() default "";

    /** The executor name (metrics tag); empty (the default): {@code <TypeSimpleName>.<method>} of the type declaring the annotation. */
    String name() default "";

    /** How long a completed result is replayed; {@code > 0}. */
    String ttl() default "24h";

    /**
     * How long a crashed caller's in-progress claim blocks the key (renewed while the method runs); at least 10 ms.
     * Empty (the default): the proxies' {@linkplain LatchkeyProxies.Builder#defaultLease default lease}, 30 s unless configured.
     */
    String lease() default "";

    /**
     * How long a concurrent duplicate waits for the first call's result; empty (the default): it is rejected at
     * once with {@link io.latchkey.dedup.IdempotencyInProgressException}.
     */
    String waitForResult() default "";

    /** Position in the chain of coordination annotations; smaller runs first (outermost). See {@link Order}. */
    int order() default Order.DEFAULT;
}
