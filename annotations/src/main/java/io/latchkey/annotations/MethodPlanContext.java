package io.latchkey.annotations;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/** What a step needs while it is being built from its annotation: the method, its parameters, messages. */
final class MethodPlanContext {

    private final Method method;
    private final MethodParameters params;
    private final ReturnKind kind;
    private final UnaryOperator<String> attributes; // the builder's attribute resolver, or null
    private final KeyExpressionResolver expressions; // the builder's key-expression hook, or null

    private final Duration defaultLease; // the builder's default for an empty lease attribute

    MethodPlanContext(Method method, MethodParameters params, ReturnKind kind, UnaryOperator<String> attributes,
                      KeyExpressionResolver expressions, Duration defaultLease) {
        this.defaultLease = defaultLease;
        this.method = method;
        this.params = params;
        this.kind = kind;
        this.attributes = attributes;
        this.expressions = expressions;
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

    /**
     * A string attribute's value after the builder's attribute resolver (e.g. Spring's {@code ${...}} placeholders);
     * every string attribute goes through here before it is parsed.
     */
    String text(String raw, String where) {
        if (attributes == null) {
            return raw;
        }
        String v;
        try {
            v = attributes.apply(raw);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(description() + ": " + where + " \"" + raw + "\" could not be"
                    + " resolved: " + e.getMessage(), e);
        }
        if (v == null) {
            throw new IllegalArgumentException(description() + ": " + where + " \"" + raw + "\" resolved to null");
        }
        return v;
    }

    /** A name attribute after {@link #text}; empty means {@link #defaultName()}. */
    String nameOrDefault(String raw, String where) {
        String v = text(raw, where);
        return v.isEmpty() ? defaultName() : v;
    }

    /**
     * A key attribute: resolved with {@link #text}, then compiled by the key-expression hook if it accepts it, else
     * parsed as a built-in template; null when blank and not required.
     */
    KeyTemplate template(String raw, String where, boolean required) {
        String text = text(raw, where);
        if (text.isBlank()) {
            if (required) {
                throw new IllegalArgumentException(description() + ": " + where + " must not be blank");
            }
            return null;
        }
        if (expressions != null) {
            Optional<Function<Object[], String>> compiled;
            try {
                compiled = expressions.compile(method, text);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(description() + ": " + where + " \"" + text + "\": "
                        + e.getMessage(), e);
            }
            if (compiled == null) {
                throw new IllegalArgumentException(description() + ": " + where + " \"" + text + "\": the key"
                        + " expression resolver returned null (return Optional.empty() to decline)");
            }
            if (compiled.isPresent()) {
                return KeyTemplate.compiled(text, where, params, compiled.get());
            }
        }
        return KeyTemplate.parse(text, where, params);
    }

    Duration positive(String raw, String where) {
        return DurationText.positive(text(raw, where), description() + ": " + where);
    }

    /** A lease attribute: empty means the builder's default lease. */
    Duration lease(String raw, String where) {
        String text = text(raw, where);
        return text.isEmpty() ? defaultLease : DurationText.positive(text, description() + ": " + where);
    }

    Duration nonNegative(String raw, String where) {
        return DurationText.nonNegative(text(raw, where), description() + ": " + where);
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
