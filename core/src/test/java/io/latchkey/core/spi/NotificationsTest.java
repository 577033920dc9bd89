package io.latchkey.core.spi;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.latchkey.core.Latchkey;
import io.latchkey.testing.EmbeddedRedis;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Subscriptions share the one pub/sub connection and are reference counted per channel. */
class NotificationsTest {

    static EmbeddedRedis redis;

    @BeforeAll
    static void start() {
        redis = EmbeddedRedis.start();
    }

    @AfterAll
    static void stop() {
        redis.close();
    }

    @Test
    void manySubscriptionsUseOnePubSubConnection() throws Exception {
        try (Latchkey lk = Latchkey.connect(redis.uri()); Latchkey observer = Latchkey.connect(redis.uri())) {
            AtomicInteger a = new AtomicInteger();
            AtomicInteger b = new AtomicInteger();
            Notifications.Subscription s1 = Internals.of(lk).notifications().subscribe("ch:a", a::incrementAndGet).get(5, TimeUnit.SECONDS);
            Notifications.Subscription s2 = Internals.of(lk).notifications().subscribe("ch:a", a::incrementAndGet).get(5, TimeUnit.SECONDS);
            Notifications.Subscription s3 = Internals.of(lk).notifications().subscribe("ch:b", b::incrementAndGet).get(5, TimeUnit.SECONDS);

            // one pub/sub connection in the server's client list, however many channels and listeners
            String clients = Internals.of(observer).redis().callSync(c -> c.clientList());
            long pubSubConnections = clients.lines().filter(l -> l.matches(".* sub=[1-9].*")).count();
            assertEquals(1, pubSubConnections, clients);
            assertEquals(2, Internals.of(lk).notifications().subscribedChannels());

            Internals.of(observer).redis().callSync(c -> c.publish("ch:a", "x"));
            await().atMost(Duration.ofSeconds(5)).until(() -> a.get() == 2);
            assertEquals(0, b.get());

            s1.close();
            assertEquals(2, Internals.of(lk).notifications().subscribedChannels(), "still one listener on ch:a");
            s2.close();
            s3.close();
            assertEquals(0, Internals.of(lk).notifications().subscribedChannels());
            await().atMost(Duration.ofSeconds(5)).until(() ->
                    Internals.of(observer).redis().callSync(c -> c.pubsubNumsub("ch:a", "ch:b")).values().stream().allMatch(n -> n == 0));
        }
    }
}
