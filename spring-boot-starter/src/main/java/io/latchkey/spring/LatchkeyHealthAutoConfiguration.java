package io.latchkey.spring;

import io.latchkey.core.Latchkey;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * A health indicator named {@code latchkey} when Actuator's health support is on the classpath: UP with the PING
 * round trip and the script cache state, DOWN when Redis does not answer within the command timeout. Off with
 * {@code management.health.latchkey.enabled=false}; replaced by a bean named {@code latchkeyHealthIndicator}.
 */
@AutoConfiguration(after = LatchkeyAutoConfiguration.class)
@ConditionalOnClass({HealthIndicator.class, Latchkey.class})
@ConditionalOnBean(Latchkey.class)
@ConditionalOnEnabledHealthIndicator("latchkey")
public class LatchkeyHealthAutoConfiguration {

    /** The indicator. */
    @Bean
    @ConditionalOnMissingBean(name = "latchkeyHealthIndicator")
    public HealthIndicator latchkeyHealthIndicator(Latchkey latchkey) {
        return new LatchkeyHealthIndicator(latchkey);
    }
}
