package io.latchkey.examples.spring;

import io.latchkey.dedup.IdempotencyMismatchException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /orders} with an {@code Idempotency-Key} header: a retried request gets the first receipt back. */
@RestController
public class OrderController {

    private final OrderService orders;

    /** The controller over the service. */
    public OrderController(OrderService orders) {
        this.orders = orders;
    }

    /** Places the order once per key; a retry with the same key and body replays the receipt. */
    @PostMapping("/orders")
    public OrderService.Receipt place(@RequestHeader("Idempotency-Key") String key,
                                      @RequestBody OrderService.OrderRequest request) {
        return orders.place(key, request);
    }

    /** The same key with another body is a client error, not a replay. */
    @ExceptionHandler(IdempotencyMismatchException.class)
    ProblemDetail mismatch(IdempotencyMismatchException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.valueOf(422),
                "this Idempotency-Key was used with another request body");
    }
}
