package io.latchkey.annotations;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.function.Supplier;

/** What a step needs while it is being built from its annotation: the method, its parameters, messages. */
final class MethodPlanContext {

    private final Method method;
    private final MethodParameters params;
    private final ReturnKind kind;

    MethodPlanContext(Method method, MethodParameters params, ReturnKind kind) {
        this.method = method;
        this.params = params;
        this.kind = kind;
    }

    Method method() {
        return method;
    }

    String description() {
        return params.description();
    }

    ReturnKind kind() {
        return kind;
    }

    /**
     * The index of the {@link FencingToken} parameter, or -1.
     *
     * @throws IllegalArgumentException if there are several, or one is not a {@code long}/{@code Long}
     */
    int fencingTokenParameter() {
        int found = -1;
        java.lang.reflect.Parameter[] ps = method.getParameters();
        for (int i = 0; i < ps.length; i++) {
            if (ps[i].isAnnotationPresent(FencingToken.class)) {
                if (found >= 0) {
                    throw new IllegalArgumentException(description() + ": only one parameter can be @FencingToken");
                }
                if (ps[i].getType() != long.class && ps[i].getType() != Long.class) {
                    throw new IllegalArgumentException(description() + ": @FencingToken parameter #" + i
                            + " must be a long, was " + ps[i].getType().getSimpleName());
                }
                found = i;
            }
        }
        return found;
    }

    /** Default name of a limiter/semaphore/deduplicator: {@code Interface.method}. */
    String defaultName() {
        return method.getDeclaringClass().getSimpleName() + "." + method.getName();
    }

    KeyTemplate template(String text, String where, boolean required) {
        if (text.isBlank()) {
            if (required) {
                throw new IllegalArgumentException(description() + ": " + where + " must not be blank");
            }
            return null;
        }
        return KeyTemplate.parse(text, where, params);
    }

    Duration positive(String text, String where) {
        return DurationText.positive(text, description() + ": " + where);
    }

    Duration nonNegative(String text, String where) {
        return DurationText.nonNegative(text, description() + ": " + where);
    }

    /** Runs a primitive's own validation, prefixing its message with the method and annotation. */
    <T> T wrap(String where, Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException(description() + ": " + where + ": " + e.getMessage(), e);
        }
    }

    /**
     * After an interrupted wait: the InterruptedException itself if the method declares it, else {@code rejection}
     * (the coordination was not acquired) with the thread's interrupt flag kept.
     */
    Throwable interrupted(InterruptedException e, RuntimeException rejection) {
        for (Class<?> t : method.getExceptionTypes()) {
            if (t.isAssignableFrom(InterruptedException.class)) {
                return e;
            }
        }
        Thread.currentThread().interrupt();
        return rejection;
    }
}
