package io.latchkey.dedup;

import io.latchkey.core.Latchkey;
import io.latchkey.core.spi.Arguments;
import io.latchkey.core.spi.Keys;
import java.time.Duration;
import java.util.Objects;

/**
 * Creates {@link Deduplicator}s and {@link IdempotentExecutor}s on one {@link Latchkey} client.
 *
 * <pre>{@code
 * Deduplicator notifications = Deduplicators.of(latchkey).deduplicator("notifications", Duration.ofHours(24));
 * if (notifications.firstSeen(message.id())) { send(message); }
 *
 * IdempotentExecutor<String> payments = Deduplicators.of(latchkey)
 *         .idempotency("payments", IdempotencyOptions.defaults());
 * String receipt = payments.execute(request.idempotencyKey(), request.canonicalForm(), () -> charge(request));
 * }</pre>
 *
 * <p>Creating an instance sends nothing to Redis. Instances of one name must use the same TTL and options in every
 * process (deduplicators with different bucket layouts do not see each other's ids).
 */
public final class Deduplicators {

    private final Latchkey latchkey;

    private Deduplicators(Latchkey latchkey) {
        this.latchkey = latchkey;
    }

    /** Deduplicators on {@code latchkey}. */
    public static Deduplicators of(Latchkey latchkey) {
        return new Deduplicators(Objects.requireNonNull(latchkey, "latchkey"));
    }

    /**
     * A {@link DedupStrategy#WINDOWED} deduplicator that fails closed.
     *
     * @param name the deduplicator's name (no braces, at most 256 characters); also the bounded metrics tag
     * @param ttl  how long an id is remembered, 1 ms to 3650 days
     */
    public Deduplicator deduplicator(String name, Duration ttl) {
        return deduplicator(name, ttl, DeduplicatorOptions.defaults());
    }

    /** As {@link #deduplicator(String, Duration)} with options (strategy, failure policy, buckets). */
    public Deduplicator deduplicator(String name, Duration ttl, DeduplicatorOptions options) {
        Keys.validateName(name, "name");
        long ttlMillis = Arguments.toMillis(ttl, "ttl");
        Objects.requireNonNull(options, "options");
        return switch (options.strategy()) {
            case WINDOWED -> new WindowedDeduplicator(latchkey, name, ttl, ttlMillis, options);
            case EXACT -> new ExactDeduplicator(latchkey, name, ttl, ttlMillis, options);
        };
    }

    /** An idempotent executor whose results are strings. */
    public IdempotentExecutor<String> idempotency(String name, IdempotencyOptions options) {
        return idempotency(name, ResultCodec.string(), options);
    }

    /**
     * An idempotent executor storing its results with {@code codec}.
     *
     * @param name the executor's name (no braces, at most 256 characters); also the bounded metrics tag
     */
    public <T> IdempotentExecutor<T> idempotency(String name, ResultCodec<T> codec, IdempotencyOptions options) {
        Keys.validateName(name, "name");
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(options, "options");
        return new RedisIdempotentExecutor<>(latchkey, name, codec, options);
    }
}
