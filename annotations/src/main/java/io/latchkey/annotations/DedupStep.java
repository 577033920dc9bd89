package io.latchkey.annotations;

import io.latchkey.dedup.Deduplicator;
import java.lang.annotation.Annotation;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** {@link Deduplicated}. */
final class DedupStep implements Step {

    private final MethodPlanContext ctx;
    private final int order;
    private final KeyTemplate key;
    private final Deduplicator deduplicator;
    private final Deduplicated.OnDuplicate onDuplicate;
    private final boolean forgetOnFailure;
    private final Object emptyValue;
    private final Executor executor;

    DedupStep(Deduplicated a, MethodPlanContext ctx, int order, Deduplicator deduplicator, Executor executor) {
        this.ctx = ctx;
        this.order = order;
        this.key = ctx.template(a.key(), "@Deduplicated(key)", true);
        this.deduplicator = deduplicator;
        this.onDuplicate = a.onDuplicate();
        this.forgetOnFailure = a.forgetOnFailure();
        this.emptyValue = ReturnKind.emptyValue(ctx.method(), ctx.kind());
        this.executor = executor;
    }

    @Override
    public int order() {
        return order;
    }

    @Override
    public Class<? extends Annotation> annotationType() {
        return Deduplicated.class;
    }

    @Override
    public Object resolve(Object[] args) {
        return key.render(args);
    }

    @Override
    public Object invoke(Object resolved, SyncNext next) throws Throwable {
        String id = (String) resolved;
        if (!deduplicator.firstSeen(id)) {
            return duplicate(id);
        }
        try {
            return next.proceed();
        } catch (Throwable t) {
            if (forgetOnFailure) {
                try {
                    deduplicator.forget(id);
                } catch (RuntimeException e) {
                    t.addSuppressed(e);
                }
            }
            throw t;
        }
    }

    @Override
    public CompletableFuture<Object> invokeAsync(Object resolved, AsyncNext next, Cancellation cancel) {
        String id = (String) resolved;
        return deduplicator.firstSeenAsync(id).thenCompose(first -> {
            if (!first) {
                try {
                    @SuppressWarnings("unchecked")
                    CompletableFuture<Object> empty = (CompletableFuture<Object>) duplicate(id);
                    return empty;
                } catch (DuplicateInvocationException e) {
                    return CompletableFuture.failedFuture(e);
                }
            }
            CompletableFuture<Object> inner = next.proceed();
            if (!forgetOnFailure) {
                return inner;
            }
            // forget() is blocking: never run it on the thread completing the method's future
            return inner.handle((v, t) -> t).thenCompose(t -> t == null ? inner
                    : CompletableFuture.runAsync(() -> deduplicator.forget(id), executor)
                            .handle((x, e) -> x).thenCompose(x -> inner));
        });
    }

    private Object duplicate(String id) {
        if (onDuplicate == Deduplicated.OnDuplicate.THROW) {
            throw new DuplicateInvocationException(ctx.description(), deduplicator.name(), id);
        }
        return emptyValue;
    }
}
