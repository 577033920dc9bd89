package io.latchkey.annotations;

/**
 * The default positions of the coordination annotations in a method's chain; smaller runs first (outermost).
 *
 * <p>Default: {@link #IDEMPOTENCY} ({@link Idempotent}, {@link Deduplicated}) → {@link #RATE_LIMIT} → {@link
 * #CONCURRENCY} → {@link #LOCK} → the method. A duplicate is answered before it spends a rate-limit permit, a call
 * that is over its rate never occupies a permit, and the lock is held for the shortest time. Override per
 * annotation with its {@code order} attribute, or for a whole factory with
 * {@link LatchkeyProxies.Builder#order(Class[])}. Two annotations of one method at the same position are rejected
 * at proxy creation.
 */
public final class Order {

    /** The value of an {@code order} attribute meaning "the factory's position for this annotation". */
    public static final int DEFAULT = Integer.MIN_VALUE;
    /** {@link Idempotent} and {@link Deduplicated}. */
    public static final int IDEMPOTENCY = 100;
    /** {@link RateLimited}. */
    public static final int RATE_LIMIT = 200;
    /** {@link ConcurrencyLimited}. */
    public static final int CONCURRENCY = 300;
    /** {@link DistributedLock}. */
    public static final int LOCK = 400;

    private Order() {
    }
}
