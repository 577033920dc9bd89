package io.latchkey.examples.spring;

import io.latchkey.testing.EmbeddedRedis;
import java.util.Map;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * For the example only: when no {@code spring.data.redis.*} connection property is set, starts an embedded
 * {@code redis-server} (the testing module's) and points {@code spring.data.redis.*} at it, so the example runs on a
 * machine with only a JDK. The server stops with the application context.
 */
final class EmbeddedRedisWhenUnconfigured implements ApplicationListener<ApplicationEvent> {

    private static final String[] CONNECTION_KEYS = {"spring.data.redis.url", "spring.data.redis.host",
            "spring.data.redis.port", "spring.data.redis.cluster.nodes", "spring.data.redis.sentinel.master"};

    private EmbeddedRedis redis;

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        if (event instanceof ApplicationEnvironmentPreparedEvent e) {
            startIfUnconfigured(e.getEnvironment());
        } else if (event instanceof ApplicationPreparedEvent e && redis != null
                && e.getApplicationContext().getBeanFactory() instanceof DefaultListableBeanFactory beans) {
            // registered before every bean: destroyed after them, so Latchkey closes while Redis still runs
            beans.registerDisposableBean("embeddedRedis", redis::close);
        } else if (event instanceof ApplicationFailedEvent && redis != null) {
            redis.close();
        }
    }

    private void startIfUnconfigured(ConfigurableEnvironment env) {
        for (String key : CONNECTION_KEYS) {
            if (env.containsProperty(key)) {
                return;
            }
        }
        redis = EmbeddedRedis.start();
        System.out.println("No spring.data.redis.* configured: started embedded Redis " + redis.version() + " on "
                + redis.uri());
        env.getPropertySources().addFirst(new MapPropertySource("embeddedRedis",
                Map.of("spring.data.redis.host", redis.host(), "spring.data.redis.port", redis.port())));
    }
}
