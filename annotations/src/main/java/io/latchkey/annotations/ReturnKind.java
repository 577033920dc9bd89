package io.latchkey.annotations;

import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;

/**
 * How a method returns: nothing, a value, a {@link CompletionStage} the coordination is held for, or a Reactor
 * {@code Mono}/{@code Flux} the coordination is taken for on subscribe and held until its terminal signal.
 * Reactor is optional: its presence is checked once, by name, and the Reactor types are only touched (through
 * {@link ReactiveReturns}) by methods that return them, which cannot exist without Reactor.
 */
enum ReturnKind {
    VOID, VALUE, ASYNC, MONO, FLUX;

    private static final String MONO_TYPE = "reactor.core.publisher.Mono";
    private static final String FLUX_TYPE = "reactor.core.publisher.Flux";
    private static final boolean REACTOR = reactorPresent();

    private static boolean reactorPresent() {
        try {
            Class.forName(MONO_TYPE, false, ReturnKind.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Whether Reactor is visible to this module (checked once). */
    static boolean reactorAvailable() {
        return REACTOR;
    }

    /** The result is produced later: the coordination is held until it is complete. */
    boolean deferred() {
        return this == ASYNC || this == MONO || this == FLUX;
    }

    /** A Reactor type: nothing happens until subscription, and a cancel stops the work. */
    boolean reactive() {
        return this == MONO || this == FLUX;
    }

    static ReturnKind of(Method m, String description) {
        Class<?> r = m.getReturnType();
        if (r == void.class) {
            return VOID;
        }
        if (r == CompletionStage.class || r == CompletableFuture.class) {
            return ASYNC;
        }
        if (r.getName().equals(MONO_TYPE) || r.getName().equals(FLUX_TYPE)) {
            if (!REACTOR) {
                throw new IllegalArgumentException(description + ": returns " + r.getName() + " but Reactor is not"
                        + " visible to the annotations module's class loader");
            }
            return r.getName().equals(MONO_TYPE) ? MONO : FLUX;
        }
        if (Future.class.isAssignableFrom(r) || CompletionStage.class.isAssignableFrom(r)) {
            throw new IllegalArgumentException(description + ": return type " + r.getName() + " is not supported"
                    + " with coordination annotations (use CompletionStage or CompletableFuture, whose completion"
                    + " can be observed without blocking)");
        }
        if (isPublisher(r)) {
            throw new IllegalArgumentException(description + ": return type " + r.getName() + " is not supported"
                    + " with coordination annotations (return Reactor's Mono or Flux, or a CompletionStage)");
        }
        return VALUE;
    }

    /** Whether {@code type} is a Reactive Streams publisher, checked by name so no Reactor class is needed. */
    private static boolean isPublisher(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (c.getName().equals("org.reactivestreams.Publisher")) {
                return true;
            }
            for (Class<?> i : c.getInterfaces()) {
                if (isPublisher(i)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The type whose values are produced: the return type, or a future's type argument (null if raw). */
    static Type valueType(Method m, ReturnKind kind) {
        if (!kind.deferred()) {
            return m.getGenericReturnType();
        }
        Type g = m.getGenericReturnType();
        if (g instanceof ParameterizedType p) {
            return p.getActualTypeArguments()[0];
        }
        return null;
    }

    /** What a skipped call (duplicate) returns, see {@link Deduplicated}. */
    static Object emptyValue(Method m, ReturnKind kind) {
        if (kind == VOID) {
            return null;
        }
        if (kind.deferred()) {
            Type t = valueType(m, kind);
            Class<?> raw = t instanceof ParameterizedType p ? (Class<?>) p.getRawType() : t instanceof Class<?> c
                    ? c : Object.class;
            return CompletableFuture.completedFuture(raw == Optional.class ? Optional.empty() : null);
        }
        Class<?> r = m.getReturnType();
        if (r.isPrimitive()) {
            if (r == boolean.class) {
                return false;
            }
            if (r == char.class) {
                return '\0';
            }
            if (r == long.class) {
                return 0L;
            }
            if (r == double.class) {
                return 0d;
            }
            if (r == float.class) {
                return 0f;
            }
            if (r == byte.class) {
                return (byte) 0;
            }
            if (r == short.class) {
                return (short) 0;
            }
            return 0;
        }
        if (r == Optional.class) {
            return Optional.empty();
        }
        if (r == List.class || r == Collection.class) {
            return List.of();
        }
        if (r == Set.class) {
            return Set.of();
        }
        if (r == Map.class) {
            return Map.of();
        }
        return null;
    }
}
