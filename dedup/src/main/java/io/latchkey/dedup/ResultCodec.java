package io.latchkey.dedup;

import java.util.Base64;
import java.util.Objects;
import java.util.function.Function;

/**
 * Turns an action's result into the text stored in Redis and back, so {@link IdempotentExecutor} can replay it.
 * Built in: {@link #string()}, {@link #longs()}, {@link #bytes()}; for anything else supply your own, e.g. with the
 * JSON library you already use: {@code ResultCodec.of(mapper::writeValueAsString, s -> mapper.readValue(s, T.class))}.
 * A {@code null} result is stored and replayed as {@code null} without calling the codec.
 *
 * @param <T> the result type
 */
public interface ResultCodec<T> {

    /** The stored form of a non-null {@code value}. */
    String encode(T value);

    /** The value back from its stored form. */
    T decode(String stored);

    /** Strings, stored as they are. */
    static ResultCodec<String> string() {
        return of(Function.identity(), Function.identity());
    }

    /** Longs, stored in decimal. */
    static ResultCodec<Long> longs() {
        return of(v -> Long.toString(v), Long::valueOf);
    }

    /** Byte arrays, stored as Base64. */
    static ResultCodec<byte[]> bytes() {
        return of(v -> Base64.getEncoder().encodeToString(v), s -> Base64.getDecoder().decode(s));
    }

    /** A codec from two functions. */
    static <T> ResultCodec<T> of(Function<? super T, String> encode, Function<String, ? extends T> decode) {
        Objects.requireNonNull(encode, "encode");
        Objects.requireNonNull(decode, "decode");
        return new ResultCodec<>() {
            @Override
            public String encode(T value) {
                return encode.apply(value);
            }

            @Override
            public T decode(String stored) {
                return decode.apply(stored);
            }
        };
    }
}
