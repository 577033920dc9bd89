package io.latchkey.spring;

import io.latchkey.annotations.LatchkeyProxies;

/**
 * Adjusts the auto-configured {@link LatchkeyProxies} — the factory that plans the coordination annotations of
 * Spring beans and of interface proxies — before it is built: named rate limiters, result codecs for
 * {@code @Idempotent} methods, options, listener, chain order.
 *
 * <pre>{@code
 * @Bean
 * LatchkeyProxiesCustomizer partnerQuota() {
 *     return proxies -> proxies
 *             .rateLimiter("partner-api", RateLimit.slidingLog(100, Duration.ofMinutes(1)))
 *             .resultCodec(Receipt.class, ResultCodec.of(Receipt::toJson, Receipt::fromJson));
 * }
 * }</pre>
 *
 * Declare it as a bean; every customizer runs, in {@link org.springframework.core.Ordered} order.
 */
@FunctionalInterface
public interface LatchkeyProxiesCustomizer {

    /** Changes {@code builder} in place. */
    void customize(LatchkeyProxies.Builder builder);
}
