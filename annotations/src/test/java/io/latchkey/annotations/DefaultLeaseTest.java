package io.latchkey.annotations;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.Latchkey;
import io.latchkey.testing.EmbeddedRedis;
import io.latchkey.testing.RedisTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** An annotation that names no lease takes the proxies' default lease; one that names a lease keeps it. */
@RedisTest
class DefaultLeaseTest {

    interface Jobs {
        @DistributedLock(name = "unnamed-lease")
        long pttlOfDefault(String key);

        @DistributedLock(name = "named-lease", lease = "45s")
        long pttlOfNamed(String key);
    }

    static final class JobsImpl implements Jobs {
        private final EmbeddedRedis redis;

        JobsImpl(EmbeddedRedis redis) {
            this.redis = redis;
        }

        @Override
        public long pttlOfDefault(String key) {
            return (Long) redis.command("PTTL", key);
        }

        @Override
        public long pttlOfNamed(String key) {
            return (Long) redis.command("PTTL", key);
        }
    }

    @Test
    void anEmptyLeaseIsTheConfiguredDefault(Latchkey latchkey, EmbeddedRedis redis) {
        String ns = latchkey.namespace();
        Jobs configured = LatchkeyProxies.builder(latchkey).defaultLease(Duration.ofMinutes(7)).build()
                .proxy(Jobs.class, new JobsImpl(redis));
        long pttl = configured.pttlOfDefault(ns + ":{unnamed-lease}:lock");
        assertTrue(pttl > Duration.ofMinutes(6).toMillis() && pttl <= Duration.ofMinutes(7).toMillis(), "pttl " + pttl);
        long named = configured.pttlOfNamed(ns + ":{named-lease}:lock");
        assertTrue(named > 0 && named <= 45_000, "pttl " + named);

        Jobs plain = LatchkeyProxies.of(latchkey).proxy(Jobs.class, new JobsImpl(redis));
        long byDefault = plain.pttlOfDefault(ns + ":{unnamed-lease}:lock");
        assertTrue(byDefault > 0 && byDefault <= 30_000, "pttl " + byDefault);
    }

    @Test
    void aDefaultLeaseMustBePositive(Latchkey latchkey) {
        assertThrows(IllegalArgumentException.class,
                () -> LatchkeyProxies.builder(latchkey).defaultLease(Duration.ZERO));
        assertThrows(NullPointerException.class, () -> LatchkeyProxies.builder(latchkey).defaultLease(null));
    }
}
