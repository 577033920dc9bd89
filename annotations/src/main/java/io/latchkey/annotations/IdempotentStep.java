package io.latchkey.annotations;

import io.latchkey.dedup.IdempotentExecutor;
import java.lang.annotation.Annotation;
import java.util.concurrent.CompletableFuture;

/** {@link Idempotent}. */
final class IdempotentStep implements Step {

    private final int order;
    private final KeyTemplate key;
    private final IdempotentExecutor<Object> executor;

    IdempotentStep(Idempotent a, MethodPlanContext ctx, int order, IdempotentExecutor<Object> executor) {
        this.order = order;
        this.key = ctx.template(a.key(), "@Idempotent(key)", true);
        this.executor = executor;
    }

    @Override
    public int order() {
        return order;
    }

    @Override
    public Class<? extends Annotation> annotationType() {
        return Idempotent.class;
    }

    @Override
    public String resolve(Object[] args) {
        return key.render(args);
    }

    @Override
    public Object invoke(String k, SyncNext next) throws Throwable {
        try {
            return executor.execute(k, () -> MethodPlan.proceedUnchecked(next));
        } catch (MethodPlan.Carrier c) {
            throw c.getCause();
        }
    }

    @Override
    public CompletableFuture<Object> invokeAsync(String k, AsyncNext next) {
        return executor.executeAsync(k, next::proceed);
    }
}
