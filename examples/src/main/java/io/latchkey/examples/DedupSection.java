package io.latchkey.examples;

import io.latchkey.dedup.Deduplicator;
import io.latchkey.dedup.Deduplicators;
import io.latchkey.dedup.IdempotencyOptions;
import io.latchkey.dedup.IdempotentExecutor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A notification consumer on an at-least-once queue skips redelivered events; a payment is charged once. */
final class DedupSection implements Section {

    @Override
    public String title() {
        return "Duplicate events skipped";
    }

    @Override
    public void run(Fleet fleet, Narrator say) throws Exception {
        Deduplicators dedup = Deduplicators.of(fleet.main());
        Deduplicator notifications = dedup.deduplicator("notifications", Duration.ofHours(24));

        say.say("The notification service reads order events from a queue that delivers at least once.");
        List<String> deliveries = List.of("order-1001:paid", "order-1002:paid", "order-1001:paid",
                "order-1003:shipped", "order-1002:paid", "order-1001:paid");
        int sent = 0;
        for (String event : deliveries) {
            if (notifications.firstSeen(event)) {
                sent++;
                say.say("%-20s -> e-mail sent", event);
            } else {
                say.say("%-20s -> duplicate (redelivered), skipped", event);
            }
        }
        if (sent != 3) {
            throw new IllegalStateException("expected 3 distinct events, sent " + sent);
        }

        say.blank();
        say.say("After a restart the consumer re-reads a batch; one round trip checks all of it:");
        List<String> batch = List.of("order-1003:shipped", "order-1004:paid", "order-1001:paid", "order-1005:paid");
        List<Boolean> fresh = notifications.firstSeen(batch);
        for (int i = 0; i < batch.size(); i++) {
            say.say("%-20s -> %s", batch.get(i), fresh.get(i) ? "new, e-mail sent" : "seen before, skipped");
        }

        say.blank();
        say.say("The payment service charges a card through idempotent execution; the client retries on a timeout.");
        IdempotentExecutor<String> payments = dedup.idempotency("payments",
                IdempotencyOptions.builder().ttl(Duration.ofHours(24)).build());
        AtomicInteger charges = new AtomicInteger();
        for (int attempt = 1; attempt <= 3; attempt++) {
            String receipt = payments.execute("charge:order-1001", () -> {
                int n = charges.incrementAndGet();
                return "receipt #" + n + ": charged 42.00 EUR to card ending 4242";
            });
            say.say("attempt %d -> %s", attempt, receipt);
        }
        if (charges.get() != 1) {
            throw new IllegalStateException("the card was charged " + charges.get() + " times");
        }
        say.say("The card was charged once; retries got the stored receipt back.");
    }
}
