package io.latchkey.lock;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.Latchkey;
import io.latchkey.core.LatchkeyException;
import io.latchkey.core.LatchkeyTimeoutException;
import io.latchkey.core.ReleaseResult;
import io.latchkey.testing.EmbeddedRedis;
import io.latchkey.testing.FaultProxy;
import io.latchkey.testing.RedisTest;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Replays, lost replies and outages, through the fault-injecting proxy. */
@RedisTest
class LockFaultTest {

    private EmbeddedRedis redis;
    private Latchkey direct;

    @BeforeEach
    void connect(EmbeddedRedis redis, Latchkey direct) {
        this.redis = redis;
        this.direct = direct;
    }

    @Test
    void aLostReplyYieldsExactlyOneHolderAndTheSameToken() {
        try (FaultProxy proxy = FaultProxy.start(redis);
             Latchkey viaProxy = Latchkey.connect(proxy.uri())) {
            DistributedLock lock = Locks.of(viaProxy).lock("replayed");
            lock.tryAcquire(Duration.ofSeconds(30)).orElseThrow().release(); // scripts cached: one EVALSHA per call
            String fenceKey = direct.namespace() + ":{replayed}:fence";
            long before = redis.commandCalls("evalsha");
            long connections = proxy.connectionsAccepted();
            // the acquire runs in Redis, its reply is lost with the connection; the lock re-sends it, same owner
            proxy.mode(FaultProxy.Mode.DROP_NEXT_REPLY_THEN_CLOSE);
            LockLease got = lock.tryAcquire(Duration.ofSeconds(30)).orElseThrow();
            assertEquals(before + 2, redis.commandCalls("evalsha"), "the acquire ran twice in Redis");
            assertTrue(proxy.connectionsAccepted() > connections, "the client reconnected");
            DistributedLock observer = Locks.of(direct).lock("replayed");
            LockHolder holder = observer.holder().orElseThrow();
            assertEquals(got.id(), holder.ownerId(), "exactly one holder: us");
            assertEquals(got.fencingToken(), holder.fencingToken(), "with the token of the first execution");
            assertEquals(Long.toString(got.fencingToken()), redis.command("GET", fenceKey),
                    "the replay issued no second token");
            assertTrue(got.isValid());
            assertTrue(observer.tryAcquire(Duration.ofSeconds(1)).isEmpty());
            assertEquals(ReleaseResult.RELEASED, got.release());
            assertTrue(observer.tryAcquire(Duration.ofSeconds(5)).isPresent());
        }
    }

    @Test
    void aReleaseReSentAfterTheLockMovedOnThroughTwoHandOversStillAnswersReleased() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(redis);
             Latchkey viaProxy = Latchkey.builder().uri(proxy.uri()).commandTimeout(Duration.ofSeconds(5)).build()) {
            DistributedLock mine = Locks.of(viaProxy).lock("resent-release");
            DistributedLock theirs = Locks.of(direct).lock("resent-release");
            String waitersKey = direct.namespace() + ":{resent-release}:waiters";
            // scripts cached first, or the dropped reply would be a NOSCRIPT error (nothing ran)
            Locks.of(viaProxy).lock("warm-up").tryAcquire(Duration.ofSeconds(5)).orElseThrow().release();
            LockLease held = mine.tryAcquire(Duration.ofSeconds(30)).orElseThrow();
            CompletableFuture<Optional<LockLease>> first = theirs.tryAcquireAsync(Duration.ofSeconds(30),
                    Duration.ofSeconds(20));
            await().atMost(Duration.ofSeconds(5)).until(() -> (Long) redis.command("HLEN", waitersKey) == 1L);
            CompletableFuture<Optional<LockLease>> second = theirs.tryAcquireAsync(Duration.ofSeconds(30),
                    Duration.ofSeconds(20));
            await().atMost(Duration.ofSeconds(5)).until(() -> (Long) redis.command("HLEN", waitersKey) == 2L);
            // Our release runs and hands the lock to the first waiter; its reply is lost. While our client cannot
            // reconnect, the first waiter passes the lock on to the second; only then may our re-send land.
            long connections = proxy.connectionsAccepted();
            proxy.mode(FaultProxy.Mode.DROP_NEXT_REPLY_THEN_CLOSE);
            CompletableFuture<ReleaseResult> ours = held.releaseAsync();
            await().pollDelay(Duration.ZERO).pollInterval(Duration.ofNanos(1)).atMost(Duration.ofSeconds(5))
                    .until(() -> proxy.mode() == FaultProxy.Mode.PASS); // the reply was dropped
            proxy.mode(FaultProxy.Mode.REFUSE);
            assertEquals(ReleaseResult.RELEASED, first.get(10, TimeUnit.SECONDS).orElseThrow().release());
            second.get(10, TimeUnit.SECONDS).orElseThrow();
            assertTrue(!ours.isDone(), "our re-send is still held back");
            proxy.mode(FaultProxy.Mode.PASS);
            assertEquals(ReleaseResult.RELEASED, ours.get(10, TimeUnit.SECONDS),
                    "our release ran; the lock moved on after it");
            assertTrue(proxy.connectionsAccepted() > connections, "the release was re-sent after a reconnect");
            LockLease last = second.get(10, TimeUnit.SECONDS).orElseThrow();
            assertEquals(last.id(), theirs.holder().orElseThrow().ownerId(), "the re-send left it alone");
            assertEquals(ReleaseResult.RELEASED, last.release());
        }
    }

    @Test
    void anAcquireReSentAfterAReconnectGetsTheSameLeaseAndToken() {
        // Latchkey's connection fails in-flight commands on a disconnect (Lettuce 7, REJECT_COMMANDS), so the
        // script's replay handling is exercised with a client that re-sends them, as Lettuce's defaults do.
        try (FaultProxy proxy = FaultProxy.start(redis)) {
            RedisClient client = RedisClient.create(proxy.uri());
            try (StatefulRedisConnection<String, String> c = client.connect()) {
                String prefix = direct.namespace() + ":{resent}:";
                String[] keys = {prefix + "lock", prefix + "fence", prefix + "queue", prefix + "waiters"};
                c.sync().scriptLoad(RedisLock.ACQUIRE.source());
                long before = redis.commandCalls("evalsha");
                proxy.mode(FaultProxy.Mode.DROP_NEXT_REPLY_THEN_CLOSE);
                List<Object> reply = c.sync().evalsha(RedisLock.ACQUIRE.sha(), ScriptOutputType.MULTI, keys,
                        "owner-resent", "30000", "60000", "0", prefix + "released");
                assertEquals(before + 2, redis.commandCalls("evalsha"), "the acquire ran twice in Redis");
                assertEquals(1L, reply.get(0), "the replay answered success");
                long token = (Long) reply.get(1);
                LockHolder holder = Locks.of(direct).lock("resent").holder().orElseThrow();
                assertEquals("owner-resent", holder.ownerId(), "exactly one holder: the re-sending owner");
                assertEquals(token, holder.fencingToken(), "with the token of the first execution");
                assertEquals(Long.toString(token), redis.command("GET", keys[1]), "no second token was issued");
                assertTrue(Locks.of(direct).lock("resent").tryAcquire(Duration.ofSeconds(1)).isEmpty());
            } finally {
                client.shutdown();
            }
        }
    }

    @Test
    void aTimedOutAcquireIsReleasedInsteadOfLeavingAPhantomHolder() {
        try (FaultProxy proxy = FaultProxy.start(redis);
             Latchkey viaProxy = Latchkey.builder().uri(proxy.uri()).commandTimeout(Duration.ofMillis(300)).build()) {
            DistributedLock lock = Locks.of(viaProxy).lock("timedout");
            DistributedLock observer = Locks.of(direct).lock("timedout");
            // scripts cached first, or the late NOSCRIPT reply would only find a caller that gave up
            Locks.of(viaProxy).lock("warm-up").tryAcquire(Duration.ofSeconds(5)).orElseThrow().release();
            String fenceKey = direct.namespace() + ":{timedout}:fence";
            proxy.delay(Duration.ofMillis(800)).mode(FaultProxy.Mode.DELAY);
            assertThrows(LatchkeyTimeoutException.class, () -> lock.tryAcquire(Duration.ofMinutes(5)));
            // the acquire landed late (a token was issued), and the owner-checked release that followed freed it
            await().atMost(Duration.ofSeconds(10)).until(() -> redis.command("GET", fenceKey) != null);
            await().atMost(Duration.ofSeconds(10)).until(() -> !observer.isLocked());
            assertTrue(observer.tryAcquire(Duration.ofSeconds(5)).isPresent());
        }
    }

    @Test
    void locksFailClosedWhenRedisIsUnreachable() {
        try (FaultProxy proxy = FaultProxy.start(redis);
             Latchkey viaProxy = Latchkey.builder().uri(proxy.uri()).commandTimeout(Duration.ofMillis(300)).build()) {
            DistributedLock lock = Locks.of(viaProxy).lock("outage");
            LockLease lease = lock.tryAcquire(Duration.ofSeconds(30)).orElseThrow();
            proxy.mode(FaultProxy.Mode.REFUSE);
            assertThrows(LatchkeyException.class, () -> lock.tryAcquire(Duration.ofSeconds(30)));
            assertThrows(LatchkeyException.class, () -> lock.tryAcquire(Duration.ofSeconds(30), Duration.ofSeconds(1)));
            assertThrows(LatchkeyException.class, lock::isLocked);
            assertThrows(LatchkeyException.class, () -> lease.extend(Duration.ofSeconds(30)));
            assertThrows(LatchkeyException.class, lease::release);
            lease.close(); // never throws; keeps sending the release in the background
            DistributedLock observer = Locks.of(direct).lock("outage");
            assertTrue(observer.isLocked(), "Redis never saw the release");
            proxy.mode(FaultProxy.Mode.PASS);
            // the background release lands once Redis is back, long before the 30 s lease would end
            await().atMost(Duration.ofSeconds(10)).until(() -> !observer.isLocked());
            assertEquals(ReleaseResult.ALREADY_GONE, lease.release(), "released once, by close()");
            assertTrue(observer.tryAcquire(Duration.ofSeconds(1)).isPresent());
        }
    }
}
