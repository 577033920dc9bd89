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

/** How a method returns: nothing, a value, or a {@link CompletionStage} that the coordination is held for. */
enum ReturnKind {
    VOID, VALUE, ASYNC;

    static ReturnKind of(Method m, String description) {
        Class<?> r = m.getReturnType();
        if (r == void.class) {
            return VOID;
        }
        if (r == CompletionStage.class || r == CompletableFuture.class) {
            return ASYNC;
        }
        if (Future.class.isAssignableFrom(r) || CompletionStage.class.isAssignableFrom(r)) {
            throw new IllegalArgumentException(description + ": return type " + r.getName() + " is not supported"
                    + " with coordination annotations (use CompletionStage or CompletableFuture, whose completion"
                    + " can be observed without blocking)");
        }
        return VALUE;
    }

    /** The type whose values are produced: the return type, or a future's type argument (null if raw). */
    static Type valueType(Method m, ReturnKind kind) {
        if (kind != ASYNC) {
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
        if (kind == ASYNC) {
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
