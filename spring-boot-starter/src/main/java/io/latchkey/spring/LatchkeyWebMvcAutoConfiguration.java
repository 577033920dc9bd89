package io.latchkey.spring;

import io.latchkey.annotations.RateLimitExceededException;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;

/**
 * In a servlet web application, answers a {@code @RateLimited} controller method's rejection
 * ({@link RateLimitExceededException}) with {@code 429 Too Many Requests}, the {@code RateLimit},
 * {@code RateLimit-Policy} and {@code Retry-After} headers, and a problem-detail body. The handler has the lowest
 * precedence, so an {@code @ExceptionHandler} of the application wins. Off with
 * {@code latchkey.web.rate-limit-responses=false}.
 */
@AutoConfiguration(after = LatchkeyAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = "org.springframework.web.servlet.DispatcherServlet", value = RateLimitExceededException.class)
@ConditionalOnProperty(prefix = "latchkey.web", name = "rate-limit-responses", havingValue = "true",
        matchIfMissing = true)
public class LatchkeyWebMvcAutoConfiguration {

    /** The {@code @ControllerAdvice} that maps the rejection to a 429. */
    @Bean
    @ConditionalOnMissingBean
    public RateLimitExceededResponses latchkeyRateLimitExceededResponses() {
        return new RateLimitExceededResponses();
    }
}
