package io.latchkey.annotations;

import io.latchkey.core.LeaseRequest;
import io.latchkey.core.spi.Keys;
import io.latchkey.lock.LockLease;
import io.latchkey.lock.LockOptions;
import io.latchkey.lock.Locks;
import java.lang.annotation.Annotation;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** {@link DistributedLock}. */
final class LockStep implements Step {

    private final MethodPlanContext ctx;
    private final int order;
    private final KeyTemplate name;
    private final KeyTemplate key;
    private final LeaseRequest request;
    private final Locks locks;
    private final LockOptions options;
    private final io.latchkey.lock.DistributedLock constant; // the one lock of a name without placeholders
    private final int fencingParameter; // index of the @FencingToken parameter, or -1

    /** One call: the lock name and the argument array (to receive the fencing token). */
    private record Call(String lockName, Object[] args) {
    }

    LockStep(DistributedLock a, MethodPlanContext ctx, int order, Locks locks, LockOptions options) {
        this.ctx = ctx;
        this.order = order;
        this.locks = locks;
        this.options = options;
        this.name = ctx.template(a.name(), "@DistributedLock(name)", true);
        this.key = ctx.template(a.key(), "@DistributedLock(key)", false);
        String staticPart = name.literalText() + (key != null ? ":" + key.literalText() : "");
        if (staticPart.indexOf('{') >= 0 || staticPart.indexOf('}') >= 0) {
            throw new IllegalArgumentException(ctx.description() + ": @DistributedLock name \"" + name.text()
                    + "\" must not contain literal braces (lock names cannot contain '{' or '}')");
        }
        this.constant = name.isConstant() && key == null
                ? ctx.wrap("@DistributedLock(name)", () -> locks.lock(name.literalText(), options)) : null;
        this.fencingParameter = ctx.fencingTokenParameter();
        Duration lease = ctx.lease(a.lease(), "@DistributedLock(lease)");
        Duration maxWait = ctx.nonNegative(a.maxWait(), "@DistributedLock(maxWait)");
        this.request = ctx.wrap("@DistributedLock", () -> LeaseRequest.builder(lease).maxWait(maxWait)
                .watchdog(a.watchdog()).build());
    }

    @Override
    public int order() {
        return order;
    }

    @Override
    public Class<? extends Annotation> annotationType() {
        return DistributedLock.class;
    }

    @Override
    public Object resolve(Object[] args) {
        return new Call(resolveName(args), args);
    }

    @Override
    public String label(Object resolved) {
        return ((Call) resolved).lockName();
    }

    private String resolveName(Object[] args) {
        String n = key == null ? name.render(args) : name.render(args) + ":" + key.render(args);
        try {
            return Keys.validateName(n, "lock name");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ctx.description() + ": @DistributedLock name \"" + name.text() + "\""
                    + (key != null ? " key \"" + key.text() + "\"" : "") + " resolved to an invalid lock name: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public Object invoke(Object resolved, SyncNext next) throws Throwable {
        Call call = (Call) resolved;
        String lockName = call.lockName();
        Optional<LockLease> lease;
        try {
            lease = lock(lockName).tryAcquire(request);
        } catch (InterruptedException e) {
            throw ctx.interrupted(e, rejected(lockName, e));
        }
        if (lease.isEmpty()) {
            throw rejected(lockName, null);
        }
        try (LockLease held = lease.get()) {
            fence(call, held);
            return next.proceed();
        }
    }

    @Override
    public CompletableFuture<Object> invokeAsync(Object resolved, AsyncNext next, Cancellation cancel) {
        Call call = (Call) resolved;
        String lockName = call.lockName();
        return cancel.track(lock(lockName).tryAcquireAsync(request)).thenCompose(lease -> {
            if (lease.isEmpty()) {
                return CompletableFuture.failedFuture(rejected(lockName, null));
            }
            fence(call, lease.get());
            return MethodPlan.thenRelease(next.proceed(), () -> lease.get().releaseAsync());
        });
    }

    /** The proxy's argument array is created per call, so writing the token into it affects this call only. */
    private void fence(Call call, LockLease lease) {
        if (fencingParameter >= 0) {
            call.args()[fencingParameter] = lease.fencingToken();
        }
    }

    private io.latchkey.lock.DistributedLock lock(String lockName) {
        return constant != null ? constant : locks.lock(lockName, options);
    }

    private LockNotAcquiredException rejected(String lockName, Throwable cause) {
        return new LockNotAcquiredException(ctx.description(), lockName, request.maxWait(), cause);
    }
}
