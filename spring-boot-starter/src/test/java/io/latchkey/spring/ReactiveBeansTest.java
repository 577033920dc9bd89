package io.latchkey.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.latchkey.annotations.DistributedLock;
import io.latchkey.annotations.LockNotAcquiredException;
import io.latchkey.lock.Locks;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/** A {@code Mono} method of a class bean holds its lock from subscription until the Mono completes. */
class ReactiveBeansTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(LatchkeyAutoConfiguration.class))
            .withPropertyValues("spring.data.redis.port=" + SharedRedis.port(),
                    "latchkey.namespace=reactive-" + UUID.randomUUID().toString().substring(0, 8));

    /** Work that completes when the test says so. */
    public static class ReactiveReports {
        private final Sinks.One<String> gate = Sinks.one();

        @DistributedLock(name = "reactive:{id}", lease = "30s")
        public Mono<String> render(String id) {
            return gate.asMono();
        }

        public void finish(String value) {
            gate.tryEmitValue(value);
        }
    }

    @Test
    void theLockIsTakenOnSubscribeAndHeldUntilTheMonoCompletes() {
        runner.withBean(ReactiveReports.class).run(context -> {
            ReactiveReports reports = context.getBean(ReactiveReports.class);
            Locks locks = context.getBean(Locks.class);

            Mono<String> mono = reports.render("q1");
            assertThat(locks.lock("reactive:q1").isLocked()).as("cold: nothing before subscription").isFalse();

            CompletableFuture<String> result = mono.toFuture();
            await().atMost(Duration.ofSeconds(10)).until(() -> locks.lock("reactive:q1").isLocked());
            assertThatThrownBy(() -> reports.render("q1").block(Duration.ofSeconds(10)))
                    .as("a second subscription while the first Mono runs").isInstanceOf(LockNotAcquiredException.class);
            assertThat(result).isNotDone();
            assertThat(locks.lock("reactive:q1").isLocked()).as("still held while the Mono is pending").isTrue();

            reports.finish("done");
            assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("done");
            assertThat(locks.lock("reactive:q1").isLocked()).as("released before the value reached us").isFalse();
        });
    }
}
