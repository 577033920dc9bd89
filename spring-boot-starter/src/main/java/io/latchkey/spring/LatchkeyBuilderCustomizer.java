package io.latchkey.spring;

import io.latchkey.core.Latchkey;

/**
 * Adjusts the auto-configured {@link Latchkey.Builder} after the {@code spring.data.redis.*} and {@code latchkey.*}
 * properties were applied, e.g. {@code builder -> builder.requestQueueSize(50_000)}. Declare it as a bean; every
 * customizer runs, in {@link org.springframework.core.Ordered} order.
 */
@FunctionalInterface
public interface LatchkeyBuilderCustomizer {

    /** Changes {@code builder} in place. */
    void customize(Latchkey.Builder builder);
}
