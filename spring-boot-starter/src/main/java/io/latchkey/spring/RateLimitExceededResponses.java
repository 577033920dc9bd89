package io.latchkey.spring;

import io.latchkey.annotations.RateLimitExceededException;
import io.latchkey.ratelimit.RateLimitDecision;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;

/**
 * Turns {@link RateLimitExceededException} from a controller into {@code 429 Too Many Requests} with the decision's
 * rate-limit headers ({@link RateLimitDecision#headers()}) and an RFC 9457 problem detail. Lowest precedence, so
 * the application's own handlers win; a bean of this type replaces the auto-configured one.
 */
@ControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class RateLimitExceededResponses {

    /** Creates the advice; registered by {@link LatchkeyWebMvcAutoConfiguration}. */
    public RateLimitExceededResponses() {
    }

    /** The 429 for {@code e}. */
    @ExceptionHandler(RateLimitExceededException.class)
    public ResponseEntity<ProblemDetail> tooManyRequests(RateLimitExceededException e) {
        HttpHeaders headers = new HttpHeaders();
        e.decision().headers().asMap().forEach(headers::set);
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS,
                "rate limit \"" + e.name() + "\" exceeded; retry after " + e.retryAfter().toMillis() + " ms");
        body.setTitle("Too Many Requests");
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).headers(headers).body(body);
    }
}
