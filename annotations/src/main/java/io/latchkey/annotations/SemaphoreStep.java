package io.latchkey.annotations;

import io.latchkey.core.LeaseRequest;
import io.latchkey.semaphore.DistributedSemaphore;
import io.latchkey.semaphore.Permit;
import java.lang.annotation.Annotation;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** {@link ConcurrencyLimited}. */
final class SemaphoreStep implements Step {

    private final MethodPlanContext ctx;
    private final int order;
    private final DistributedSemaphore semaphore;
    private final LeaseRequest options;

    SemaphoreStep(ConcurrencyLimited a, MethodPlanContext ctx, int order, DistributedSemaphore semaphore) {
        this.ctx = ctx;
        this.order = order;
        this.semaphore = semaphore;
        var lease = ctx.lease(a.lease(), "@ConcurrencyLimited(lease)");
        var maxWait = ctx.nonNegative(a.maxWait(), "@ConcurrencyLimited(maxWait)");
        this.options = ctx.wrap("@ConcurrencyLimited", () -> LeaseRequest.builder(lease).maxWait(maxWait)
                .watchdog(a.watchdog()).build());
    }

    @Override
    public int order() {
        return order;
    }

    @Override
    public Class<? extends Annotation> annotationType() {
        return ConcurrencyLimited.class;
    }

    @Override
    public Object resolve(Object[] args) {
        return semaphore.name();
    }

    @Override
    public Object invoke(Object resolved, SyncNext next) throws Throwable {
        String key = (String) resolved;
        Optional<Permit> permit;
        try {
            permit = semaphore.tryAcquire(options);
        } catch (InterruptedException e) {
            throw ctx.interrupted(e, rejected(e));
        }
        if (permit.isEmpty()) {
            throw rejected(null);
        }
        try (Permit held = permit.get()) {
            return next.proceed();
        }
    }

    @Override
    public CompletableFuture<Object> invokeAsync(Object resolved, AsyncNext next, Cancellation cancel) {
        String key = (String) resolved;
        return cancel.track(semaphore.tryAcquireAsync(options)).thenCompose(permit -> permit.isEmpty()
                ? CompletableFuture.failedFuture(rejected(null))
                : MethodPlan.thenRelease(next.proceed(), () -> permit.get().releaseAsync()));
    }

    private ConcurrencyLimitExceededException rejected(Throwable cause) {
        return new ConcurrencyLimitExceededException(ctx.description(), semaphore.name(),
                semaphore.configuredPermits(), options.maxWait(), cause);
    }
}
