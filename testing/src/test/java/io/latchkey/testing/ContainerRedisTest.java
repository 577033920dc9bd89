package io.latchkey.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class ContainerRedisTest {

    @Test
    void redis7InDocker() {
        String reason = ContainerRedis.unavailableReason();
        Assumptions.assumeTrue(reason == null, () -> "Docker not available: " + reason);
        try (ContainerRedis redis = ContainerRedis.start(); Clients.Conn c = Clients.connect(redis.uri(), Duration.ofSeconds(5))) {
            assertEquals("PONG", c.sync().ping());
            c.sync().set("k", "v");
            assertEquals("v", c.sync().get("k"));
            assertEquals("7", Resp.infoField(c.sync().info("server"), "redis_version").substring(0, 1));
        }
    }
}
