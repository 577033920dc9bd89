package io.latchkey.examples;

import io.latchkey.annotations.ConcurrencyLimited;
import io.latchkey.annotations.Deduplicated;
import io.latchkey.annotations.DistributedLock;
import io.latchkey.annotations.Idempotent;
import io.latchkey.annotations.Key;
import io.latchkey.annotations.LatchkeyProxies;
import io.latchkey.annotations.Limit;
import io.latchkey.annotations.RateLimitExceededException;
import io.latchkey.annotations.RateLimited;
import io.latchkey.lock.Locks;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The order service of the fleet, coordinated by annotations on its interface alone: the implementation is plain
 * Java, and {@link LatchkeyProxies} wraps it once at startup.
 */
final class AnnotatedServiceSection implements Section {

    /** A checkout request carrying the client's idempotency key. */
    record PlaceOrder(String idempotencyKey, String customerId, long cents) {
    }

    /** A payment event from the broker, delivered at least once. */
    record PaymentEvent(String id, String orderId) {
    }

    /** The service contract; every coordination decision is declared here. */
    interface OrderService {
        @Idempotent(name = "orders.place", key = "{request.idempotencyKey}", ttl = "24h")
        String placeOrder(@Key("request") PlaceOrder request);

        @RateLimited(name = "orders.quote", key = "{customerId}", limits = @Limit(permits = 3, window = "1m"))
        String quote(@Key("customerId") String customerId);

        @Deduplicated(name = "orders.payments", key = "{event.id}", ttl = "1h")
        void onPaymentEvent(@Key("event") PaymentEvent event);

        @ConcurrencyLimited(name = "orders.invoice-renderer", permits = 2, lease = "30s", maxWait = "20s")
        @DistributedLock(name = "invoice:{orderId}", lease = "30s", maxWait = "20s")
        String renderInvoice(@Key("orderId") String orderId);

        @DistributedLock(name = "shipment:{0}", lease = "30s")
        CompletableFuture<String> ship(String orderId, CompletableFuture<String> carrierAnswer);
    }

    /** Plain business code: no Latchkey calls. */
    static final class DefaultOrderService implements OrderService {
        final AtomicInteger orders = new AtomicInteger();
        final List<String> payments = new CopyOnWriteArrayList<>();
        final AtomicInteger rendering = new AtomicInteger();
        final AtomicInteger renderPeak = new AtomicInteger();

        @Override
        public String placeOrder(PlaceOrder request) {
            return "order-" + orders.incrementAndGet() + " (" + request.cents() + " cents)";
        }

        @Override
        public String quote(String customerId) {
            return "quote for " + customerId;
        }

        @Override
        public void onPaymentEvent(PaymentEvent event) {
            payments.add(event.id());
        }

        @Override
        public String renderInvoice(String orderId) {
            int now = rendering.incrementAndGet();
            renderPeak.accumulateAndGet(now, Math::max);
            try {
                Thread.sleep(60); // rendering the PDF
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            rendering.decrementAndGet();
            return "invoice-" + orderId + ".pdf";
        }

        @Override
        public CompletableFuture<String> ship(String orderId, CompletableFuture<String> carrierAnswer) {
            return carrierAnswer;
        }
    }

    @Override
    public String title() {
        return "An annotated service";
    }

    @Override
    public void run(Fleet fleet, Narrator say) throws Exception {
        // unique per run, so the chapter also works against a long-lived external Redis
        String run = UUID.randomUUID().toString().substring(0, 8);
        DefaultOrderService impl = new DefaultOrderService();
        OrderService orders = LatchkeyProxies.of(fleet.main()).proxy(OrderService.class, impl);
        say.say("OrderService's interface declares @Idempotent, @RateLimited, @Deduplicated, @ConcurrencyLimited and");
        say.say("@DistributedLock; LatchkeyProxies validated every template and duration when it built the proxy.");

        PlaceOrder checkout = new PlaceOrder("checkout-" + run, "alice", 4_200);
        String first = orders.placeOrder(checkout);
        String retry = orders.placeOrder(checkout);
        say.say("placeOrder twice with idempotency key %s: \"%s\", then the replay \"%s\"", checkout.idempotencyKey(),
                first, retry);
        if (!first.equals(retry) || impl.orders.get() != 1) {
            throw new IllegalStateException("the retried checkout ran again");
        }

        int quoted = 0;
        RateLimitExceededException denied = null;
        for (int i = 0; i < 4; i++) {
            try {
                orders.quote("bob-" + run);
                quoted++;
            } catch (RateLimitExceededException e) {
                denied = e;
            }
        }
        if (quoted != 3 || denied == null) {
            throw new IllegalStateException("expected 3 quotes and one denial, got " + quoted);
        }
        say.say("quote 4 times for one customer (3 per minute): 3 answered, the 4th refused; retry after %d s",
                denied.retryAfter().toSeconds());

        PaymentEvent paid = new PaymentEvent("evt-" + run, "order-1");
        for (int delivery = 0; delivery < 3; delivery++) {
            orders.onPaymentEvent(paid);
        }
        say.say("the broker delivered payment event %s 3 times; the handler ran %d time(s)", paid.id(),
                impl.payments.size());
        if (impl.payments.size() != 1) {
            throw new IllegalStateException("a duplicate payment event was handled");
        }

        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<String>> invoices = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                String orderId = run + "-" + (i % 3); // two requests per order: the lock serialises them
                invoices.add(pool.submit(() -> orders.renderInvoice(orderId)));
            }
            for (Future<String> f : invoices) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        say.say("6 invoice renders at once: at most %d rendered together (2 renderer slots, one lock per order)",
                impl.renderPeak.get());
        if (impl.renderPeak.get() > 2) {
            throw new IllegalStateException("more than 2 invoices rendered at once");
        }

        CompletableFuture<String> carrier = new CompletableFuture<>();
        CompletableFuture<String> shipment = orders.ship(run, carrier);
        boolean heldWhileWaiting = Locks.of(fleet.main()).lock("shipment:" + run).isLocked();
        carrier.complete("tracking " + run);
        String tracking = shipment.get(10, TimeUnit.SECONDS);
        boolean heldAfter = Locks.of(fleet.main()).lock("shipment:" + run).isLocked();
        say.say("ship() returned a future at once; the shipment lock was held until the carrier answered"
                + " (held while waiting: %s, after \"%s\": %s)", heldWhileWaiting, tracking, heldAfter);
        if (!heldWhileWaiting || heldAfter) {
            throw new IllegalStateException("the async method did not hold its lock until completion");
        }
    }
}
