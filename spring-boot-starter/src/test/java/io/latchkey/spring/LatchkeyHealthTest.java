package io.latchkey.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.lock.Locks;
import io.latchkey.testing.EmbeddedRedis;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The Actuator health indicator: UP with PING and script cache details, DOWN while the node is paused. */
class LatchkeyHealthTest {

    static EmbeddedRedis redis; // its own: this test pauses it

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(LatchkeyAutoConfiguration.class,
                    LatchkeyHealthAutoConfiguration.class))
            .withPropertyValues("spring.data.redis.port=" + redis.port(), "latchkey.command-timeout=300ms");

    @BeforeAll
    static void start() {
        redis = EmbeddedRedis.start();
    }

    @AfterAll
    static void stop() {
        redis.close();
    }

    @Test
    void upWithScriptCacheStateThenDownWhilePausedThenUpAgain() {
        runner.run(context -> {
            HealthIndicator indicator = context.getBean("latchkeyHealthIndicator", HealthIndicator.class);
            Health up = indicator.health(true);
            assertThat(up.getStatus()).isEqualTo(Status.UP);
            assertThat(up.getDetails()).containsEntry("scriptsSent", 0).containsKey("pingMillis");

            context.getBean(Locks.class).lock("health").tryAcquire(Duration.ofSeconds(5)).orElseThrow().release();
            Health used = indicator.health(true);
            assertThat((Integer) used.getDetails().get("scriptsSent")).isGreaterThan(0);
            assertThat(used.getDetails().get("scriptsCached")).isEqualTo(
                    ((Integer) used.getDetails().get("scriptsSent")).longValue());

            redis.command("SCRIPT", "FLUSH");
            Health flushed = indicator.health(true);
            assertThat(flushed.getStatus()).as("a flushed script cache heals itself").isEqualTo(Status.UP);
            assertThat(flushed.getDetails()).containsEntry("scriptsCached", 0L).containsKey("scriptsMissing");

            redis.pause();
            try {
                Health down = indicator.health(true);
                assertThat(down.getStatus()).isEqualTo(Status.DOWN);
                assertThat(down.getDetails()).containsKey("error");
            } finally {
                redis.resume();
            }
            assertThat(indicator.health(true).getStatus()).isEqualTo(Status.UP);
        });
    }

    @Test
    void canBeDisabledAndIsAbsentWithoutActuator() {
        runner.withPropertyValues("management.health.latchkey.enabled=false").run(context ->
                assertThat(context).doesNotHaveBean("latchkeyHealthIndicator"));
        runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class)).run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean("latchkeyHealthIndicator"));
    }
}
