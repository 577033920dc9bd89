package io.latchkey.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.annotations.DistributedLock;
import io.latchkey.lock.Locks;
import java.lang.reflect.Method;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.aopalliance.intercept.MethodInterceptor;
import org.springframework.aop.Advisor;
import org.springframework.aop.config.AopConfigUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.junit.jupiter.api.Test;

/**
 * When another infrastructure proxy exists (the kind {@code @EnableTransactionManagement} makes: the auto-proxy
 * creator with an advisor), Latchkey's advice joins it as the outermost: the other advice runs inside the lock.
 */
class AdviceOrderTest {

    static final AtomicReference<Locks> LOCKS = new AtomicReference<>();
    static final AtomicReference<Boolean> LOCKED_INSIDE_OTHER_ADVICE = new AtomicReference<>();

    /** A bean with a locked method. */
    public static class Ledger {
        @DistributedLock(name = "ledger")
        public String post() {
            return "posted";
        }
    }

    @Test
    void latchkeyAdviceIsOutermostOnAnExistingProxy() {
        MethodInterceptor probe = invocation -> {
            LOCKED_INSIDE_OTHER_ADVICE.set(LOCKS.get().lock("ledger").isLocked());
            return invocation.proceed();
        };
        Advisor probeAdvisor = new DefaultPointcutAdvisor(new StaticMethodMatcherPointcut() {
            @Override
            public boolean matches(Method method, Class<?> targetClass) {
                return method.getName().equals("post");
            }
        }, probe);
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(LatchkeyAutoConfiguration.class))
                .withPropertyValues("spring.data.redis.port=" + SharedRedis.port(),
                        "latchkey.namespace=order-" + UUID.randomUUID().toString().substring(0, 8))
                .withInitializer(c -> AopConfigUtils.registerAutoProxyCreatorIfNecessary(
                        (BeanDefinitionRegistry) c.getBeanFactory()))
                .withBean("probeAdvisor", Advisor.class, () -> probeAdvisor,
                        bd -> bd.setRole(BeanDefinition.ROLE_INFRASTRUCTURE))
                .withBean(Ledger.class)
                .run(context -> {
                    LOCKS.set(context.getBean(Locks.class));
                    Ledger ledger = context.getBean(Ledger.class);
                    assertThat(AopUtils.isAopProxy(ledger)).isTrue();
                    assertThat(ledger.post()).isEqualTo("posted");
                    assertThat(LOCKED_INSIDE_OTHER_ADVICE.get()).as("the other advice ran inside the lock").isTrue();
                    assertThat(((org.springframework.aop.framework.Advised) ledger).getAdvisors()).hasSize(2);
                });
    }
}
