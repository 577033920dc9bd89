package io.latchkey.annotations;

import io.latchkey.dedup.IdempotentExecutor;
import java.lang.annotation.Annotation;
import java.util.concurrent.CompletableFuture;

/** {@link Idempotent}. */
final class IdempotentStep implements Step {

    private final int order;
    private final KeyTemplate key;
    private final KeyTemplate payload;
    private final IdempotentExecutor<Object> executor;

    IdempotentStep(Idempotent a, MethodPlanContext ctx, int order, IdempotentExecutor<Object> executor) {
        this.order = order;
        this.key = ctx.template(a.key(), "@Idempotent(key)", true);
        this.payload = ctx.template(a.payload(), "@Idempotent(payload)", false);
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

    /** One call's idempotency key and optional payload fingerprint text. */
    private record Call(String key, String payload) {
    }

    @Override
    public Object resolve(Object[] args) {
        // the payload is resolved up front too, so a bad value fails before any Redis call
        return new Call(key.render(args), payload == null ? null : payload.render(args));
    }

    @Override
    public String label(Object resolved) {
        return ((Call) resolved).key();
    }

    @Override
    public Object invoke(Object resolved, SyncNext next) throws Throwable {
        Call c = (Call) resolved;
        try {
            if (c.payload() == null) {
                return executor.execute(c.key(), () -> MethodPlan.proceedUnchecked(next));
            }
            return executor.execute(c.key(), c.payload(), () -> MethodPlan.proceedUnchecked(next));
        } catch (MethodPlan.Carrier carrier) {
            throw carrier.getCause();
        }
    }

    @Override
    public CompletableFuture<Object> invokeAsync(Object resolved, AsyncNext next, Cancellation cancel) {
        Call c = (Call) resolved;
        return c.payload() == null ? executor.executeAsync(c.key(), next::proceed)
                : executor.executeAsync(c.key(), c.payload(), next::proceed);
    }
}
