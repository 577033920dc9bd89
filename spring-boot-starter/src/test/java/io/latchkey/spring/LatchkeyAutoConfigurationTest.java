package io.latchkey.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.core.FailurePolicy;
import io.latchkey.core.Latchkey;
import io.latchkey.dedup.DeduplicatorOptions;
import io.latchkey.dedup.Deduplicators;
import io.latchkey.lock.LockLease;
import io.latchkey.lock.Locks;
import io.latchkey.ratelimit.RateLimiterOptions;
import io.latchkey.ratelimit.RateLimiters;
import io.latchkey.semaphore.Semaphores;
import io.latchkey.testing.EmbeddedRedis;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.NettyCustomizer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.Channel;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import io.latchkey.testing.EmbeddedRedisSentinel;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The Latchkey bean and its neighbours, from properties only, against a real embedded Redis. */
class LatchkeyAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(LatchkeyAutoConfiguration.class))
            .withPropertyValues("spring.data.redis.port=" + SharedRedis.port());

    @Test
    void aWorkingClientFromSpringDataRedisPropertiesWithNoLatchkeyCode() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(Latchkey.class).hasSingleBean(Locks.class)
                    .hasSingleBean(RateLimiters.class).hasSingleBean(Deduplicators.class)
                    .hasSingleBean(Semaphores.class);
            Latchkey latchkey = context.getBean(Latchkey.class);
            assertThat(latchkey.namespace()).isEqualTo("latchkey");
            Locks locks = context.getBean(Locks.class);
            Optional<LockLease> lease = locks.lock("autoconfig:1").tryAcquire(Duration.ofSeconds(5));
            assertThat(lease).isPresent();
            assertThat(locks.lock("autoconfig:1").tryAcquire(Duration.ofSeconds(5))).isEmpty();
            lease.get().release();
            assertThat(locks.lock("autoconfig:1").isLocked()).isFalse();
        });
    }

    @Test
    void latchkeyPropertiesBind() {
        runner.withPropertyValues("latchkey.namespace=orders", "latchkey.command-timeout=750ms",
                        "latchkey.rate-limiter.failure-policy=fail-open",
                        "latchkey.deduplicator.failure-policy=fail-open")
                .run(context -> {
                    Latchkey latchkey = context.getBean(Latchkey.class);
                    assertThat(latchkey.namespace()).isEqualTo("orders");
                    assertThat(latchkey.commandTimeout()).isEqualTo(Duration.ofMillis(750));
                    assertThat(context.getBean(RateLimiterOptions.class).failurePolicy())
                            .isEqualTo(FailurePolicy.FAIL_OPEN);
                    assertThat(context.getBean(DeduplicatorOptions.class).failurePolicy())
                            .isEqualTo(FailurePolicy.FAIL_OPEN);
                    context.getBean(Locks.class).lock("ns-check").tryAcquire(Duration.ofSeconds(5)).orElseThrow();
                    assertThat(SharedRedis.get().command("KEYS", "orders:*").toString()).contains("ns-check");
                });
    }

    @Test
    void springDataRedisTimeoutIsTheCommandTimeoutUnlessLatchkeySetsOne() {
        runner.withPropertyValues("spring.data.redis.timeout=1500ms").run(context ->
                assertThat(context.getBean(Latchkey.class).commandTimeout()).isEqualTo(Duration.ofMillis(1500)));
        runner.withPropertyValues("spring.data.redis.timeout=1500ms", "latchkey.command-timeout=300ms").run(context ->
                assertThat(context.getBean(Latchkey.class).commandTimeout()).isEqualTo(Duration.ofMillis(300)));
    }

    @Test
    void urlUsernamePasswordAndDatabase() {
        try (EmbeddedRedis secured = EmbeddedRedis.builder().password("s3cr:t@/x").start()) {
            ApplicationContextRunner base = new ApplicationContextRunner()
                    .withConfiguration(AutoConfigurations.of(LatchkeyAutoConfiguration.class));
            base.withPropertyValues("spring.data.redis.port=" + secured.port(), "spring.data.redis.password=s3cr:t@/x",
                            "spring.data.redis.database=3")
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        context.getBean(Locks.class).lock("db3").tryAcquire(Duration.ofSeconds(5)).orElseThrow();
                        assertThat(secured.command("INFO", "keyspace").toString()).contains("db3:keys=");
                    });
            // the url overrides host, port and password (as in Boot): a url without the password fails to connect
            base.withPropertyValues("spring.data.redis.url=redis://127.0.0.1:" + secured.port(),
                            "spring.data.redis.password=s3cr:t@/x")
                    .run(context -> assertThat(context).hasFailed());
            base.withPropertyValues("spring.data.redis.url=redis://default:"
                            + SpringDataRedisSettings.encode("s3cr:t@/x") + "@127.0.0.1:" + secured.port())
                    .run(context -> assertThat(context).hasNotFailed());
            base.withPropertyValues("spring.data.redis.port=" + secured.port(), "spring.data.redis.password=wrong")
                    .run(context -> assertThat(context).hasFailed());
        }
    }

    @Test
    void aBeanOfTheApplicationReplacesTheAutoConfiguredOne() {
        runner.withPropertyValues("spring.data.redis.port=1") // would fail to connect if used
                .withUserConfiguration(OwnLatchkey.class)
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(Latchkey.class);
                    assertThat(context.getBean(Latchkey.class).namespace()).isEqualTo("mine");
                    // the factories use the application's client
                    context.getBean(Locks.class).lock("own").tryAcquire(Duration.ofSeconds(5)).orElseThrow();
                    assertThat(SharedRedis.get().command("KEYS", "mine:*").toString()).contains("own");
                });
    }

    @Test
    void theApplicationsClientResourcesAndMeterRegistryAreUsed() {
        ClientResources[] kept = new ClientResources[1];
        runner.withUserConfiguration(ResourcesAndMeters.class).run(context -> {
            assertThat(context.getBean(ResourcesAndMeters.class).channels.get())
                    .as("channels opened through the application's ClientResources").isGreaterThan(0);
            context.getBean(Locks.class).lock("metered").tryAcquire(Duration.ofSeconds(5)).orElseThrow().release();
            assertThat(context.getBean(MeterRegistry.class).find("latchkey.lock.acquire").timers()).isNotEmpty();
            kept[0] = context.getBean(ClientResources.class);
        });
        // shared resources are not Latchkey's to close
        assertThat(kept[0].eventExecutorGroup().isShuttingDown()).isFalse();
        kept[0].shutdown();
    }

    @Test
    void metricsCanBeTurnedOff() {
        runner.withUserConfiguration(ResourcesAndMeters.class).withPropertyValues("latchkey.metrics.enabled=false")
                .run(context -> {
                    context.getBean(Locks.class).lock("unmetered").tryAcquire(Duration.ofSeconds(5)).orElseThrow();
                    assertThat(context.getBean(MeterRegistry.class).find("latchkey.lock.acquire").timers()).isEmpty();
                });
    }

    @Test
    void customizersAdjustTheBuilder() {
        runner.withBean(LatchkeyBuilderCustomizer.class, () -> b -> b.namespace("customized")).run(context ->
                assertThat(context.getBean(Latchkey.class).namespace()).isEqualTo("customized"));
    }

    @Test
    void unsupportedConnectionSettingsFailStartupWithAClearMessage() {
        runner.withPropertyValues("spring.data.redis.ssl.bundle=corp").run(context ->
                assertThat(context).getFailure().rootCause().hasMessageContaining("spring.data.redis.ssl.bundle=corp")
                        .hasMessageContaining("latchkey.ssl.trusted-certificates"));
        runner.withPropertyValues("spring.data.redis.sentinel.master=mymaster")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("spring.data.redis.sentinel needs both master and nodes"));
        runner.withPropertyValues("spring.data.redis.sentinel.master=mymaster",
                        "spring.data.redis.sentinel.nodes=127.0.0.1:26379", "spring.data.redis.sentinel.password=x")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("spring.data.redis.sentinel.password"));
        runner.withPropertyValues("latchkey.namespace=bad{ns}").run(context ->
                assertThat(context).getFailure().rootCause().hasMessageContaining("namespace"));
    }

    @Test
    void sentinelPropertiesConnectThroughTheSentinels() {
        try (EmbeddedRedisSentinel sentinel = EmbeddedRedisSentinel.builder().replicas(1).sentinels(1).start()) {
            new ApplicationContextRunner()
                    .withConfiguration(AutoConfigurations.of(LatchkeyAutoConfiguration.class))
                    .withPropertyValues("spring.data.redis.sentinel.master=" + sentinel.masterName(),
                            "spring.data.redis.sentinel.nodes=" + String.join(",", sentinel.sentinelAddresses()))
                    .run(context -> {
                        Latchkey latchkey = context.getBean(Latchkey.class);
                        assertThat(latchkey.toString()).contains("redis-sentinel://");
                        try (LockLease lease = context.getBean(Locks.class).lock("sentinel:1")
                                .tryAcquire(Duration.ofSeconds(5)).orElseThrow()) {
                            String key = latchkey.namespace() + ":{sentinel:1}:lock";
                            assertThat(sentinel.primary().command("HGET", key, "owner")).isEqualTo(lease.id());
                        }
                    });
        }
    }

    @Test
    void offWhenDisabled() {
        runner.withPropertyValues("latchkey.enabled=false").run(context ->
                assertThat(context).doesNotHaveBean(Latchkey.class).doesNotHaveBean(Locks.class));
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnLatchkey {
        @Bean(destroyMethod = "close")
        Latchkey myLatchkey() {
            return Latchkey.builder().uri(SharedRedis.get().uri()).namespace("mine").build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ResourcesAndMeters {
        final AtomicInteger channels = new AtomicInteger();

        @Bean(destroyMethod = "")
        ClientResources clientResources() {
            return ClientResources.builder().nettyCustomizer(new NettyCustomizer() {
                @Override
                public void afterChannelInitialized(Channel channel) {
                    channels.incrementAndGet();
                }
            }).build();
        }

        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }
}
