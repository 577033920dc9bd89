package io.latchkey.annotations;

import java.util.concurrent.CompletableFuture;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

/**
 * Chains for methods returning Reactor's {@code Mono} or {@code Flux}; the only class of this module that links
 * against Reactor, loaded only for such methods (see {@link ReturnKind}).
 *
 * <p>Per subscription: the keys are resolved (bad arguments are an error signal), the steps run with their async
 * calls exactly as for a {@code CompletableFuture} method ({@link MethodPlan#runAsync}), and the innermost call
 * invokes the method and subscribes to what it returns. The chain's innermost future completes on that publisher's
 * terminal signal (or is cancelled with the subscription), so every step holds its coordination until then and
 * releases it once; the subscriber sees the terminal signal only after the release, delivered off the Redis I/O
 * threads ({@link MethodPlan#deliver}).
 */
final class ReactiveReturns {

    private ReactiveReturns() {
    }

    /** The cold {@code Mono} or {@code Flux} a reactive method's proxy returns. */
    static Object defer(MethodPlan plan, Object[] args, Invocation proceed) {
        // each subscription gets its own copy of the arguments: a fencing token is written into it
        if (plan.kind() == ReturnKind.MONO) {
            return Mono.deferContextual(context -> mono(plan, args.clone(), proceed, context));
        }
        return Flux.defer(() -> flux(plan, args.clone(), proceed));
    }

    private static Mono<Object> mono(MethodPlan plan, Object[] args, Invocation proceed, ContextView context) {
        Object[] keys;
        try {
            keys = plan.resolve(args);
        } catch (RuntimeException e) {
            return Mono.error(e);
        }
        Cancellation cancellation = new Cancellation();
        Invocation subscribe = a -> {
            Object r = proceed.proceed(a);
            // toFuture() subscribes now (with the subscriber's Reactor context, which a future does not carry);
            // cancelling the future cancels the subscription
            return r == null ? null : Mono.from(publisher(r)).contextWrite(context).toFuture();
        };
        Thread caller = Thread.currentThread();
        CompletableFuture<Object> chain = plan.deliver(plan.runAsync(keys, args, subscribe, caller, cancellation),
                caller);
        return Mono.fromFuture(chain, true).doOnCancel(cancellation::cancel);
    }

    private static Flux<Object> flux(MethodPlan plan, Object[] args, Invocation proceed) {
        Object[] keys;
        try {
            keys = plan.resolve(args);
        } catch (RuntimeException e) {
            return Flux.error(e);
        }
        Cancellation cancellation = new Cancellation();
        // the method's elements, once every step granted the call; its terminal signal completes `terminal`, and
        // an error is held back until the chain has released (it is re-signalled from the chain's outcome)
        CompletableFuture<Flux<Object>> body = new CompletableFuture<>();
        Invocation subscribe = a -> {
            Object r = proceed.proceed(a);
            if (r == null) {
                return null;
            }
            CompletableFuture<Object> terminal = new CompletableFuture<>();
            body.complete(Flux.from(publisher(r))
                    .doOnComplete(() -> terminal.complete(null))
                    .onErrorResume(e -> {
                        terminal.completeExceptionally(e);
                        return Mono.empty();
                    })
                    .doOnCancel(() -> terminal.cancel(false)));
            return terminal;
        };
        Thread caller = Thread.currentThread();
        CompletableFuture<Object> chain = plan.deliver(plan.runAsync(keys, args, subscribe, caller, cancellation),
                caller);
        // refused, failed before the method ran, or a skipped duplicate: no elements, the chain's outcome follows
        chain.whenComplete((v, t) -> body.complete(Flux.empty()));
        return Mono.fromFuture(body, true).flatMapMany(f -> f)
                .concatWith(Mono.fromFuture(chain, true).ignoreElement())
                .doOnCancel(cancellation::cancel);
    }

    @SuppressWarnings("unchecked")
    private static Publisher<Object> publisher(Object r) {
        return (Publisher<Object>) r;
    }
}
