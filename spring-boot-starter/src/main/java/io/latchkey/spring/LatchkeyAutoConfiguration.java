package io.latchkey.spring;

import io.latchkey.annotations.LatchkeyProxies;
import io.latchkey.annotations.Limit;
import io.latchkey.core.Latchkey;
import io.latchkey.dedup.DeduplicatorOptions;
import io.latchkey.dedup.Deduplicators;
import io.latchkey.lock.Locks;
import io.latchkey.ratelimit.RateLimit;
import io.latchkey.ratelimit.RateLimiterOptions;
import io.latchkey.ratelimit.RateLimiters;
import io.latchkey.semaphore.Semaphores;
import io.lettuce.core.resource.ClientResources;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;

/**
 * Auto-configures a {@link Latchkey} client from Boot's {@code spring.data.redis.*} and {@code latchkey.*}
 * properties, the primitives' factories ({@link Locks}, {@link RateLimiters}, {@link Deduplicators},
 * {@link Semaphores}), their default options, and the {@link LatchkeyProxies} factory that plans the coordination
 * annotations. Every bean backs off when the application defines its own of the same type. Off with
 * {@code latchkey.enabled=false}.
 */
@AutoConfiguration
@ConditionalOnClass(Latchkey.class)
@ConditionalOnProperty(prefix = "latchkey", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(LatchkeyProperties.class)
public class LatchkeyAutoConfiguration {

    /**
     * The client: {@code spring.data.redis.*} say where Redis is, {@code latchkey.*} how to use it; Boot's Lettuce
     * {@link ClientResources} bean is shared when there is one, and the application's {@link MeterRegistry} receives
     * Latchkey's meters unless {@code latchkey.metrics.enabled=false}.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public Latchkey latchkey(LatchkeyProperties properties, Environment environment,
                             ObjectProvider<ClientResources> clientResources,
                             ObjectProvider<MeterRegistry> meterRegistry,
                             ObjectProvider<LatchkeyBuilderCustomizer> customizers) {
        SpringDataRedisSettings redis = SpringDataRedisSettings.bind(environment);
        Latchkey.Builder builder = Latchkey.builder().namespace(properties.getNamespace());
        redis.applyTo(builder);
        Duration timeout = properties.getCommandTimeout() != null ? properties.getCommandTimeout() : redis.timeout();
        if (timeout != null) {
            builder.commandTimeout(timeout);
        }
        if (properties.getSsl().getTrustedCertificates() != null) {
            builder.trustedCertificates(properties.getSsl().getTrustedCertificates());
        }
        clientResources.ifAvailable(builder::clientResources);
        if (properties.getMetrics().isEnabled()) {
            meterRegistry.ifAvailable(builder::meterRegistry);
        }
        customizers.orderedStream().forEach(c -> c.customize(builder));
        return builder.build();
    }

    /** The lock factory. */
    @Bean
    @ConditionalOnMissingBean
    public Locks latchkeyLocks(Latchkey latchkey) {
        return Locks.of(latchkey);
    }

    /** The rate limiter factory; pass the {@link RateLimiterOptions} bean to its limiters for the configured policy. */
    @Bean
    @ConditionalOnMissingBean
    public RateLimiters latchkeyRateLimiters(Latchkey latchkey) {
        return RateLimiters.of(latchkey);
    }

    /** The deduplicator factory. */
    @Bean
    @ConditionalOnMissingBean
    public Deduplicators latchkeyDeduplicators(Latchkey latchkey) {
        return Deduplicators.of(latchkey);
    }

    /** The semaphore factory. */
    @Bean
    @ConditionalOnMissingBean
    public Semaphores latchkeySemaphores(Latchkey latchkey) {
        return Semaphores.of(latchkey);
    }

    /** Options with {@code latchkey.rate-limiter.failure-policy}; used by {@code @RateLimited} methods. */
    @Bean
    @ConditionalOnMissingBean
    public RateLimiterOptions latchkeyRateLimiterOptions(LatchkeyProperties properties) {
        return RateLimiterOptions.builder().failurePolicy(properties.getRateLimiter().getFailurePolicy()).build();
    }

    /** Options with {@code latchkey.deduplicator.failure-policy}; used by {@code @Deduplicated} methods. */
    @Bean
    @ConditionalOnMissingBean
    public DeduplicatorOptions latchkeyDeduplicatorOptions(LatchkeyProperties properties) {
        return DeduplicatorOptions.builder().failurePolicy(properties.getDeduplicator().getFailurePolicy()).build();
    }

    /**
     * The annotations factory, shared by the Spring beans' advice and by interface proxies built with it:
     * {@code ${...}} placeholders in annotation attributes resolved from the environment, SpEL key expressions
     * ({@code #orderId}) beside the built-in {@code {name}} templates, the options beans above, {@code latchkey.idempotency.failure-policy}, the named limiters of
     * {@code latchkey.rate-limits.*}, then every {@link LatchkeyProxiesCustomizer}.
     */
    @Bean
    @ConditionalOnMissingBean
    public LatchkeyProxies latchkeyProxies(Latchkey latchkey, LatchkeyProperties properties,
                                           RateLimiterOptions rateLimiterOptions,
                                           DeduplicatorOptions deduplicatorOptions,
                                           Environment environment, BeanFactory beanFactory,
                                           ObjectProvider<LatchkeyProxiesCustomizer> customizers) {
        LatchkeyProxies.Builder builder = LatchkeyProxies.builder(latchkey)
                .attributeResolver(environment::resolveRequiredPlaceholders)
                .keyExpressions(new SpelKeyExpressions(beanFactory))
                .rateLimiterOptions(rateLimiterOptions)
                .deduplicatorOptions(deduplicatorOptions)
                .idempotencyFailurePolicy(properties.getIdempotency().getFailurePolicy());
        if (properties.getDefaultLease() != null) {
            builder.defaultLease(properties.getDefaultLease());
        }
        for (Map.Entry<String, List<LatchkeyProperties.LimitDefinition>> e : properties.getRateLimits().entrySet()) {
            builder.rateLimiter(e.getKey(), limits(e.getKey(), e.getValue()));
        }
        customizers.orderedStream().forEach(c -> c.customize(builder));
        return builder.build();
    }

    /**
     * The advice that applies the coordination annotations to Spring beans (CGLIB proxies of {@code @Component}
     * classes), validating every annotated method at startup. Off with {@code latchkey.annotations.enabled=false}.
     */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    @ConditionalOnProperty(prefix = "latchkey.annotations", name = "enabled", havingValue = "true",
            matchIfMissing = true)
    static LatchkeyAnnotationBeanPostProcessor latchkeyAnnotationBeanPostProcessor() {
        return new LatchkeyAnnotationBeanPostProcessor();
    }

    private static RateLimit[] limits(String name, List<LatchkeyProperties.LimitDefinition> definitions) {
        RateLimit[] limits = new RateLimit[definitions.size()];
        for (int i = 0; i < limits.length; i++) {
            LatchkeyProperties.LimitDefinition d = definitions.get(i);
            String where = "latchkey.rate-limits." + name + "[" + i + "]";
            if (d.getWindow() == null) {
                throw new IllegalArgumentException(where + ".window is required");
            }
            try {
                limits[i] = limit(d);
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
        }
        return limits;
    }

    private static RateLimit limit(LatchkeyProperties.LimitDefinition d) {
        Limit.Algorithm algorithm = d.getAlgorithm();
        return switch (algorithm) {
            case FIXED_WINDOW -> RateLimit.fixedWindow(d.getPermits(), d.getWindow());
            case SLIDING_LOG -> RateLimit.slidingLog(d.getPermits(), d.getWindow());
            case SLIDING_WINDOW -> RateLimit.slidingWindow(d.getPermits(), d.getWindow());
            case TOKEN_BUCKET -> RateLimit.tokenBucket(d.getCapacity() == 0 ? d.getPermits() : d.getCapacity(),
                    d.getPermits(), d.getWindow());
        };
    }
}
