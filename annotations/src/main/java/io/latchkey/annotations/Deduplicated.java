package io.latchkey.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the method at most once per key within the TTL ({@link io.latchkey.dedup.Deduplicator#firstSeen(String)}):
 * a duplicate call is skipped and, with {@link OnDuplicate#SKIP} (the default), returns
 * <ul>
 *   <li>nothing for {@code void};</li>
 *   <li>{@code false}/zero for a primitive;</li>
 *   <li>{@link java.util.Optional#empty()}, or an empty {@link java.util.List}/{@link java.util.Set}/
 *       {@link java.util.Map}/{@link java.util.Collection};</li>
 *   <li>a future completed with {@code null} for a {@link java.util.concurrent.CompletionStage} /
 *       {@link java.util.concurrent.CompletableFuture} (with {@code Optional.empty()} if its type argument is
 *       {@code Optional});</li>
 *   <li>{@code null} for any other type.</li>
 * </ul>
 * Use {@link Idempotent} to give duplicates the first call's result instead.
 *
 * <pre>{@code
 * @Deduplicated(key = "{event.id}", ttl = "24h")
 * void onPaymentEvent(@Key("event") PaymentEvent event);
 * }</pre>
 *
 * <p>If the method throws (or its future fails) the key is forgotten by default, so a redelivered message runs
 * again. Redis failures follow the deduplicator's failure policy (FAIL_CLOSED: a
 * {@link io.latchkey.core.LatchkeyException}, so a consumer redelivers).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Deduplicated {

    /** The key template, e.g. {@code "{messageId}"} or {@code "{event.id}"}; required, not blank. */
    String key();

    /** The deduplicator name (metrics tag); empty (the default): {@code <TypeSimpleName>.<method>} of the type declaring the annotation. */
    String name() default "";

    /** How long a key is remembered; {@code > 0}. */
    String ttl() default "24h";

    /** What a duplicate call does. */
    OnDuplicate onDuplicate() default OnDuplicate.SKIP;

    /** Whether a failed call forgets its key so a retry runs again (default true). */
    boolean forgetOnFailure() default true;

    /** Position in the chain of coordination annotations; smaller runs first (outermost). See {@link Order}. */
    int order() default Order.DEFAULT;

    /** What a duplicate call does. */
    enum OnDuplicate {
        /** Skip the method and return the empty value of its return type (see {@link Deduplicated}). */
        SKIP,
        /** Throw {@link DuplicateInvocationException}. */
        THROW
    }
}
