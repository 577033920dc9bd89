package io.latchkey.examples.spring;

import io.latchkey.annotations.Limit;
import io.latchkey.annotations.RateLimited;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Price quotes, at most {@code shop.quotes.per-minute} per customer per minute (sliding log: exact for any minute).
 * Beyond it the starter answers 429 with {@code RateLimit}, {@code RateLimit-Policy} and {@code Retry-After}.
 */
@RestController
public class QuoteController {

    /** A quote. */
    public record Quote(String customer, long cents) {
    }

    /** A quote for {@code customer}; the key is SpEL, the window a placeholder. */
    @GetMapping("/quotes/{customer}")
    @RateLimited(name = "quotes", key = "#customer",
            limits = @Limit(permits = 5, window = "${shop.quotes.window:1m}"))
    public Quote quote(@PathVariable String customer) {
        return new Quote(customer, 1999);
    }
}
