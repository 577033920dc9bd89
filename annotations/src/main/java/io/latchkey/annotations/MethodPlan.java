package io.latchkey.annotations;

import io.latchkey.core.spi.Failures;
import io.latchkey.core.LatchkeyException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/** A method's coordination chain, outermost step first, built once per method; see {@link AnnotatedMethod}. */
final class MethodPlan implements AnnotatedMethod {

    private static final System.Logger LOG = System.getLogger(MethodPlan.class.getName());

    private final Method method;
    private final String description;
    private final ReturnKind kind;
    private final List<Step> steps;
    private final Executor asyncExecutor;
    private final InvocationListener listener;

    MethodPlan(Method method, String description, ReturnKind kind, List<Step> steps, Executor asyncExecutor,
               InvocationListener listener) {
        this.listener = listener;
        this.method = method;
        this.description = description;
        this.kind = kind;
        this.steps = List.copyOf(steps);
        this.asyncExecutor = asyncExecutor;
    }

    @Override
    public Method method() {
        return method;
    }

    @Override
    public String description() {
        return description;
    }

    List<Step> steps() {
        return steps;
    }

    ReturnKind kind() {
        return kind;
    }

    @Override
    public String toString() {
        return "AnnotatedMethod[" + description + " " + steps.stream().map(s -> "@" + s.annotationType()
                .getSimpleName()).toList() + "]";
    }

    @Override
    public Object invoke(Object[] arguments, Invocation proceed) throws Throwable {
        Objects.requireNonNull(proceed, "proceed");
        Object[] args = arguments == null ? new Object[0] : arguments;
        if (kind.reactive()) {
            return ReactiveReturns.defer(this, args, proceed);
        }
        Object[] keys = resolve(args);
        if (kind == ReturnKind.ASYNC) {
            Thread caller = Thread.currentThread();
            Cancellation cancellation = new Cancellation();
            CompletableFuture<Object> out = deliver(runAsync(keys, args, proceed, caller, cancellation), caller);
            // the caller gave up: stop a pending wait; work already started keeps its coordination until it ends
            out.whenComplete((v, t) -> {
                if (out.isCancelled()) {
                    cancellation.cancel();
                }
            });
            return out;
        }
        return run(0, keys, args, proceed);
    }

    /** Every step's key for one call; bad arguments fail here, before any Redis call. */
    Object[] resolve(Object[] args) {
        Object[] keys = new Object[steps.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = steps.get(i).resolve(args);
        }
        return keys;
    }

    private Object run(int i, Object[] keys, Object[] args, Invocation proceed) throws Throwable {
        if (i == steps.size()) {
            granted(null, null);
            return proceed.proceed(args);
        }
        Step step = steps.get(i);
        return step.invoke(keys[i], () -> {
            granted(step, step.label(keys[i]));
            return run(i + 1, keys, args, proceed);
        });
    }

    /**
     * Runs the chain with the steps' async calls; the future completes when the innermost call's future does and
     * every step has let go. The innermost call is {@code proceed}, whose result must be a {@link CompletionStage}
     * (for reactive kinds {@link ReactiveReturns} passes one that completes on the terminal signal).
     */
    CompletableFuture<Object> runAsync(Object[] keys, Object[] args, Invocation proceed, Thread caller,
                                       Cancellation cancellation) {
        return runAsync(0, keys, args, proceed, caller, cancellation);
    }

    private CompletableFuture<Object> runAsync(int i, Object[] keys, Object[] args, Invocation proceed,
                                               Thread caller, Cancellation cancellation) {
        try {
            if (cancellation.isCancelled()) {
                // go no deeper; what the outer steps hold is released as on a failure
                return CompletableFuture.failedFuture(new CancellationException(description
                        + " was cancelled by its caller before it ran"));
            }
            if (i == steps.size()) {
                // The method runs on the calling thread when everything was granted at once; never on a Redis
                // I/O or scheduler thread, where blocking code would stall every Latchkey user.
                Supplier<CompletableFuture<Object>> call = () -> {
                    granted(null, null);
                    return innermost(args, proceed, cancellation);
                };
                if (Thread.currentThread() == caller) {
                    return call.get();
                }
                return CompletableFuture.supplyAsync(call, asyncExecutor).thenCompose(f -> f);
            }
            Step step = steps.get(i);
            return step.invokeAsync(keys[i], () -> {
                granted(step, step.label(keys[i]));
                return runAsync(i + 1, keys, args, proceed, caller, cancellation);
            }, cancellation);
        } catch (Throwable t) {
            return CompletableFuture.failedFuture(t);
        }
    }

    /**
     * A future with {@code chain}'s outcome (unwrapped), completed off the thread that completed {@code chain} —
     * usually a Redis I/O thread delivering the last release — so the caller's continuations ({@code thenApply},
     * a subscriber's {@code map}) never run there, where blocking code (even a Latchkey call) would stall or
     * deadlock every Redis user. Completed at once when the outcome arrives on {@code caller}'s thread.
     */
    CompletableFuture<Object> deliver(CompletableFuture<Object> chain, Thread caller) {
        CompletableFuture<Object> out = new CompletableFuture<>();
        chain.whenComplete((v, t) -> {
            Runnable complete = () -> {
                if (t != null) {
                    out.completeExceptionally(Failures.unwrap(t));
                } else {
                    out.complete(v);
                }
            };
            if (Thread.currentThread() == caller) {
                complete.run();
                return;
            }
            try {
                asyncExecutor.execute(complete);
            } catch (RuntimeException e) { // a rejecting executor: deliver here rather than never
                complete.run();
            }
        });
        return out;
    }

    private void granted(Step step, String key) {
        if (listener != null) {
            try {
                listener.granted(description, step == null ? null : step.annotationType(), key);
            } catch (RuntimeException e) {
                // a listener must not change the outcome of the call
                LOG.log(System.Logger.Level.WARNING, "the InvocationListener threw for " + description, e);
            }
        }
    }

    /** Calls the method and bridges what it returns to a future that completes when its work is done. */
    @SuppressWarnings("unchecked")
    private CompletableFuture<Object> innermost(Object[] args, Invocation proceed, Cancellation cancellation) {
        try {
            Object r = proceed.proceed(args);
            if (r == null) {
                return CompletableFuture.failedFuture(new NullPointerException(description
                        + " returned null instead of a " + method.getReturnType().getSimpleName()));
            }
            if (r instanceof CompletableFuture<?> f) {
                if (kind.reactive()) {
                    // the subscription's completion (see ReactiveReturns): a cancel stops the work, so it may release
                    cancellation.track(f);
                }
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
