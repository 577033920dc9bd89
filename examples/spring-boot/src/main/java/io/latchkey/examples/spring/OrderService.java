package io.latchkey.examples.spring;

import io.latchkey.annotations.Idempotent;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Service;

/** Places orders; {@link Idempotent} makes a retried request return the first result without placing it again. */
@Service
public class OrderService {

    /** What the client asks for. */
    public record OrderRequest(String item, int quantity) {
    }

    /** What the client gets back. */
    public record Receipt(long orderNumber, String item, int quantity) {
    }

    private final AtomicLong placed = new AtomicLong();

    /**
     * Runs once per idempotency key for 24 h; the payload fingerprint makes a reused key with another body fail
     * instead of replaying.
     */
    @Idempotent(key = "#idempotencyKey", payload = "#request.item + ':' + #request.quantity", ttl = "24h")
    public Receipt place(String idempotencyKey, OrderRequest request) {
        return new Receipt(placed.incrementAndGet(), request.item(), request.quantity());
    }

    /** How many orders were really placed. */
    public long placedCount() {
        return placed.get();
    }
}
