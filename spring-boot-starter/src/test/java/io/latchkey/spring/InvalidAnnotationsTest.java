package io.latchkey.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.annotations.DistributedLock;
import io.latchkey.annotations.Idempotent;
import io.latchkey.annotations.Limit;
import io.latchkey.annotations.RateLimited;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** An invalid annotation fails startup with the bean, the method and the problem named — never a silent no-op. */
class InvalidAnnotationsTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(LatchkeyAutoConfiguration.class))
            .withPropertyValues("spring.data.redis.port=" + SharedRedis.port());

    /** A lease that is not a duration. */
    public static class BadDuration {
        @DistributedLock(name = "x", lease = "soon")
        public void work() {
        }
    }

    /** A template naming a parameter that does not exist. */
    public static class UnknownTemplateParameter {
        @DistributedLock(name = "order:{orderNo}")
        public void ship(String orderId) {
        }
    }

    /** SpEL that does not parse. */
    public static class BrokenSpel {
        @DistributedLock(name = "order", key = "#orderId.(")
        public void ship(String orderId) {
        }
    }

    /** SpEL naming a variable that is not a parameter. */
    public static class UnknownSpelVariable {
        @Idempotent(key = "#requestID")
        public String create(String requestId) {
            return requestId;
        }
    }

    /** A placeholder the environment cannot resolve. */
    public static class MissingPlaceholder {
        @RateLimited(name = "api", limits = @Limit(permits = 5, window = "${api.window}"))
        public void call() {
        }
    }

    /** A limiter name that nothing registered. */
    public static class UnknownLimiter {
        @RateLimited(name = "nobody-registered-this")
        public void call() {
        }
    }

    /** A private method: a proxy cannot intercept it. */
    public static class PrivateMethod {
        public void entry() {
            guarded();
        }

        @DistributedLock(name = "private")
        private void guarded() {
        }
    }

    /** A final method: a CGLIB proxy cannot override it. */
    public static class FinalMethod {
        @DistributedLock(name = "final")
        public final void guarded() {
        }
    }

    @Test
    void badDuration() {
        assertStartupFails(BadDuration.class, "work", "lease", "soon");
    }

    @Test
    void unknownTemplateParameter() {
        assertStartupFails(UnknownTemplateParameter.class, "ship", "orderNo");
    }

    @Test
    void brokenSpel() {
        assertStartupFails(BrokenSpel.class, "ship", "SpEL");
    }

    @Test
    void unknownSpelVariable() {
        assertStartupFails(UnknownSpelVariable.class, "create", "#requestID", "requestId");
    }

    @Test
    void missingPlaceholder() {
        assertStartupFails(MissingPlaceholder.class, "call", "api.window");
    }

    @Test
    void unknownNamedLimiter() {
        assertStartupFails(UnknownLimiter.class, "call", "nobody-registered-this");
    }

    @Test
    void privateMethod() {
        assertStartupFails(PrivateMethod.class, "guarded", "private");
    }

    @Test
    void finalMethod() {
        assertStartupFails(FinalMethod.class, "guarded", "final");
    }

    private void assertStartupFails(Class<?> beanClass, String method, String... mentions) {
        runner.withBean("myBean", beanClass).run(context -> {
            assertThat(context).hasFailed();
            String message = context.getStartupFailure().getMessage();
            assertThat(message).contains("myBean", beanClass.getName(), method);
            for (String m : mentions) {
                assertThat(message).contains(m);
            }
        });
    }
}
