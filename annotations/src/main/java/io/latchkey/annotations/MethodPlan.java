package io.latchkey.annotations;

import io.latchkey.core.spi.Failures;
import io.latchkey.core.LatchkeyException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/** A method's coordination chain, outermost step first, built once per proxy. */
final class MethodPlan {

    private final Method method;
    private final String description;
    private final ReturnKind kind;
    private final List<Step> steps;
    private final Executor asyncExecutor;
    private final InvocationListener listener;

    MethodPlan(Method method, String description, ReturnKind kind, List<Step> steps, Executor asyncExecutor,
               InvocationListener listener) {
        this.listener = listener;
        this.method = LatchkeyProxies.accessible(method);
        this.description = description;
        this.kind = kind;
        this.steps = List.copyOf(steps);
        this.asyncExecutor = asyncExecutor;
    }

    List<Step> steps() {
        return steps;
    }

    ReturnKind kind() {
        return kind;
    }

    /** Runs the chain; keys are resolved first so bad arguments fail before any Redis call. */
    Object invoke(Object target, Object[] args) throws Throwable {
        Object[] keys = new Object[steps.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = steps.get(i).resolve(args);
        }
        if (kind == ReturnKind.ASYNC) {
            Thread caller = Thread.currentThread();
            CompletableFuture<Object> out = new CompletableFuture<>();
            runAsync(0, keys, target, args, caller, out).whenComplete((v, t) -> {
                if (t != null) {
                    out.completeExceptionally(Failures.unwrap(t));
                } else {
                    out.complete(v);
                }
            });
            return out;
        }
        return run(0, keys, target, args);
    }

    private Object run(int i, Object[] keys, Object target, Object[] args) throws Throwable {
        if (i == steps.size()) {
            granted(null, null);
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
        Step step = steps.get(i);
        return step.invoke(keys[i], () -> {
            granted(step, step.label(keys[i]));
            return run(i + 1, keys, target, args);
        });
    }

    private CompletableFuture<Object> runAsync(int i, Object[] keys, Object target, Object[] args, Thread caller,
                                               CompletableFuture<Object> out) {
        try {
            if (out.isCancelled()) {
                // the caller gave up: go no deeper, and what the outer steps hold is released as on a failure
                return CompletableFuture.failedFuture(new java.util.concurrent.CancellationException(description
                        + " was cancelled by its caller before it ran"));
            }
            if (i == steps.size()) {
                // The method runs on the calling thread when everything was granted at once; never on a Redis
                // I/O or scheduler thread, where blocking code would stall every Latchkey user.
                Supplier<CompletableFuture<Object>> call = () -> {
                    granted(null, null);
                    return callAsync(target, args);
                };
                if (Thread.currentThread() == caller) {
                    return call.get();
                }
                return CompletableFuture.supplyAsync(call, asyncExecutor).thenCompose(f -> f);
            }
            Step step = steps.get(i);
            return step.invokeAsync(keys[i], () -> {
                granted(step, step.label(keys[i]));
                return runAsync(i + 1, keys, target, args, caller, out);
            });
        } catch (Throwable t) {
            return CompletableFuture.failedFuture(t);
        }
    }

    private void granted(Step step, String key) {
        if (listener != null) {
            try {
                listener.granted(description, step == null ? null : step.annotationType(), key);
            } catch (RuntimeException e) {
                // a listener must not change the outcome of the call
            }
        }
    }

    @SuppressWarnings("unchecked")
    private CompletableFuture<Object> callAsync(Object target, Object[] args) {
        try {
            Object r = method.invoke(target, args);
            if (r == null) {
                return CompletableFuture.failedFuture(new NullPointerException(description
                        + " returned null instead of a " + method.getReturnType().getSimpleName()));
            }
            if (r instanceof CompletableFuture<?> f) {
                return (CompletableFuture<Object>) f;
            }
            // any CompletionStage (toCompletableFuture() is optional for foreign implementations)
            CompletableFuture<Object> bridged = new CompletableFuture<>();
            ((CompletionStage<Object>) r).whenComplete((v, t) -> {
                if (t != null) {
                    bridged.completeExceptionally(t);
                } else {
                    bridged.complete(v);
                }
            });
            return bridged;
        } catch (InvocationTargetException e) {
            return CompletableFuture.failedFuture(e.getCause());
        } catch (Throwable t) {
            return CompletableFuture.failedFuture(t);
        }
    }

    /**
     * Releases after {@code inner} completes, then completes with {@code inner}'s outcome; a failed release is
     * ignored (the lease or permit then expires on its own), as with {@code close()}.
     */
    static CompletableFuture<Object> thenRelease(CompletableFuture<Object> inner,
                                                 Supplier<? extends CompletableFuture<?>> release) {
        CompletableFuture<Object> out = new CompletableFuture<>();
        inner.whenComplete((v, t) -> {
            CompletableFuture<?> r;
            try {
                r = release.get();
            } catch (Throwable e) {
                r = CompletableFuture.completedFuture(null);
            }
            r.whenComplete((x, e) -> {
                if (t != null) {
                    out.completeExceptionally(Failures.unwrap(t));
                } else {
                    out.complete(v);
                }
            });
        });
        return out;
    }

    /** Wraps a checked throwable to cross a {@link Supplier}; unwrapped by {@link #unwrapCarrier}. */
    static final class Carrier extends RuntimeException {
        Carrier(Throwable cause) {
            super(cause.toString(), cause, false, false);
        }
    }

    static Object proceedUnchecked(Step.SyncNext next) {
        try {
            return next.proceed();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new Carrier(t);
        }
    }

    static Throwable unwrapCarrier(Throwable t) {
        return t instanceof Carrier c ? c.getCause() : t;
    }
}
