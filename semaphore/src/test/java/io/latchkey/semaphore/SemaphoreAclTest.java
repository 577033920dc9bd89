package io.latchkey.semaphore;

import static org.awaitility.Awaitility.await;
import io.latchkey.core.spi.Internals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.Latchkey;
import io.latchkey.core.LatchkeyException;
import io.latchkey.testing.AclUsers;
import io.latchkey.testing.EmbeddedRedis;
import io.latchkey.testing.RedisTest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The semaphore under exactly the ACL user docs/security.md prescribes ({@link AclUsers}), and under one without
 * channel permission: a release that removed the permit is a release.
 */
@RedisTest
class SemaphoreAclTest {

    private static final String NS = "acl-app";
    private static final Duration LONG = Duration.ofSeconds(30);
    private static final long PATIENCE_S = 10;

    private static Latchkey connect(String uri) {
        Latchkey lk = Latchkey.builder().uri(uri).namespace(NS).build();
        assertThrows(LatchkeyException.class, () -> Internals.of(lk).redis().callSync(c -> c.set("outside", "x")),
                "the restriction is in force");
        return lk;
    }

    private static long subscribers(EmbeddedRedis node, String channel) {
        return (Long) ((List<?>) node.command("PUBSUB", "NUMSUB", channel)).get(1);
    }

    @Test
    void semaphoreWorksUnderTheLeastPrivilegeUser(EmbeddedRedis redis) throws Exception {
        try (Latchkey lk = connect(AclUsers.createLeastPrivilege(redis, "app", "app-pw", NS))) {
            // re-checks a minute away: only the release's PUBLISH can wake the waiter in time
            DistributedSemaphore s = Semaphores.of(lk).semaphore("uploads", 1,
                    SemaphoreOptions.builder().maxRecheck(Duration.ofSeconds(60)).build());
            Permit first = s.tryAcquire(LONG).orElseThrow();
            assertEquals(0, s.availablePermits());
            assertTrue(first.extend(LONG));
            assertEquals(1, s.holders().size());
            CompletableFuture<Optional<Permit>> waiter = s.tryAcquireAsync(LONG, Duration.ofSeconds(20));
            await().atMost(Duration.ofSeconds(PATIENCE_S))
                    .until(() -> subscribers(redis, NS + ":{uploads}:released") == 1);
            first.release();
            Permit second = waiter.get(PATIENCE_S, TimeUnit.SECONDS).orElseThrow();
            assertEquals(1, s.resize(2));
            assertTrue(s.tryAcquire(LONG).isPresent());
            second.release();
            assertTrue(s.stats() != null);
        }
    }

    @Test
    void releaseAndResizeTellTheTruthWithoutChannelPermission(EmbeddedRedis redis) throws Exception {
        try (Latchkey lk = connect(AclUsers.createWithoutChannels(redis, "mute", "mute-pw", NS))) {
            DistributedSemaphore s = Semaphores.of(lk).semaphore("uploads", 1,
                    SemaphoreOptions.builder().maxRecheck(Duration.ofMillis(100)).build());
            Permit first = s.tryAcquire(LONG).orElseThrow();
            CompletableFuture<Optional<Permit>> waiter = s.tryAcquireAsync(LONG, Duration.ofSeconds(PATIENCE_S));
            // the release removes the permit, then cannot PUBLISH: it is still a release
            first.release();
            assertFalse(first.isValid(), "the old permit says what Redis says");
            assertEquals(0L, redis.command("ZSCORE", NS + ":{uploads}:permits", first.id()) == null ? 0L : 1L);
            Permit second = waiter.get(PATIENCE_S, TimeUnit.SECONDS).orElseThrow(); // its re-check
            assertEquals(1, s.resize(2), "a resize that widens the semaphore publishes too");
            Permit third = s.tryAcquire(LONG).orElseThrow();
            second.release();
            third.close();
            assertEquals(2, s.availablePermits());
        }
    }
}
