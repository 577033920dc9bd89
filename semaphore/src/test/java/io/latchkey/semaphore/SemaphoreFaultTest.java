package io.latchkey.semaphore;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.Latchkey;
import io.latchkey.core.LatchkeyException;
import io.latchkey.core.LatchkeyTimeoutException;
import io.latchkey.testing.EmbeddedRedis;
import io.latchkey.testing.FaultProxy;
import io.latchkey.testing.RedisTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Replays and lost replies, through the fault-injecting proxy. */
@RedisTest
class SemaphoreFaultTest {

    private EmbeddedRedis redis;
    private Latchkey direct;

    @BeforeEach
    void connect(EmbeddedRedis redis, Latchkey direct) {
        this.redis = redis;
        this.direct = direct;
    }

    @Test
    void aReplayedAcquireScriptIsRecognisedAsTheSamePermit() {
        RedisSemaphore s = (RedisSemaphore) Semaphores.of(direct).semaphore("replayed-script", 5);
        String id = "permit-replayed";
        List<Object> first = s.acquireScript(id, 30_000).join();
        List<Object> replay = s.acquireScript(id, 30_000).join();
        assertEquals(1L, first.get(0));
        assertEquals(1L, replay.get(0), "a replay by the same permit id answers granted");
        assertEquals(1L, replay.get(1), "and does not add a second holder");
        assertEquals(List.of(id), s.holders().stream().map(PermitHolder::permitId).toList());
        assertEquals(1, s.stats().peak());
        assertEquals(1L, s.release(id).join());
    }

    @Test
    void aLostReplyThroughTheProxyYieldsOnePermitNotTwo() {
        try (FaultProxy proxy = FaultProxy.start(redis);
             Latchkey viaProxy = Latchkey.connect(proxy.uri())) {
            DistributedSemaphore s = Semaphores.of(viaProxy).semaphore("replayed", 5);
            s.tryAcquire(Duration.ofSeconds(30)).orElseThrow().release(); // scripts cached: one EVALSHA per call
            long before = redis.commandCalls("evalsha");
            long connections = proxy.connectionsAccepted();
            // the acquire runs in Redis, its reply is lost with the connection; it is re-sent with the same id
            proxy.mode(FaultProxy.Mode.DROP_NEXT_REPLY_THEN_CLOSE);
            Permit p = s.tryAcquire(Duration.ofSeconds(30)).orElseThrow();
            assertEquals(before + 2, redis.commandCalls("evalsha"), "the acquire ran twice in Redis");
            assertTrue(proxy.connectionsAccepted() > connections, "the client reconnected");

            DistributedSemaphore observer = Semaphores.of(direct).semaphore("replayed", 5);
            List<PermitHolder> holders = observer.holders();
            assertEquals(List.of(p.id()), holders.stream().map(PermitHolder::permitId).toList(),
                    "exactly one permit: ours");
            assertEquals(1, observer.stats().peak(), "the replay was not counted as a second holder");
            assertEquals(4, observer.availablePermits());
            assertTrue(p.isValid());
            p.release();
            assertEquals(5, observer.availablePermits());
        }
    }

    @Test
    void aTimedOutAcquireIsReleasedInsteadOfLeavingAPhantomHolder() {
        try (FaultProxy proxy = FaultProxy.start(redis);
             Latchkey viaProxy = Latchkey.builder().uri(proxy.uri()).commandTimeout(Duration.ofMillis(300)).build()) {
            DistributedSemaphore s = Semaphores.of(viaProxy).semaphore("timedout", 1);
            DistributedSemaphore observer = Semaphores.of(direct).semaphore("timedout", 1);
            // scripts cached first, or the late NOSCRIPT reply would only find a caller that gave up
            Semaphores.of(viaProxy).semaphore("warm-up", 1).tryAcquire(Duration.ofSeconds(5)).orElseThrow().release();
            proxy.delay(Duration.ofMillis(800)).mode(FaultProxy.Mode.DELAY);
            assertThrows(LatchkeyTimeoutException.class, () -> s.tryAcquire(Duration.ofMinutes(5)));
            // the acquire landed late (peak 1), and the best-effort release that followed it freed the permit
            await().atMost(Duration.ofSeconds(10)).until(() -> observer.stats().peak() == 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> observer.stats().holders() == 0);
            assertEquals(1, observer.availablePermits());
        }
    }

    @Test
    void aReleaseWhoseReplyIsLostIsReSentAndNotCountedAsLost() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (FaultProxy proxy = FaultProxy.start(redis);
             Latchkey viaProxy = Latchkey.builder().uri(proxy.uri()).meterRegistry(meters).build()) {
            DistributedSemaphore s = Semaphores.of(viaProxy).semaphore("release-replayed", 2);
            Permit p = s.tryAcquire(Duration.ofSeconds(30)).orElseThrow();
            proxy.mode(FaultProxy.Mode.DROP_NEXT_REPLY_THEN_CLOSE);
            p.release(); // ran in Redis, reply lost, re-sent after the reconnect: "not held" is our own release
            assertFalse(p.isValid());
            assertEquals(0, Semaphores.of(direct).semaphore("release-replayed", 2).stats().holders());
            assertEquals(0.0, meters.counter(SemaphoreMetrics.LOST, "name", "release-replayed").count());
        }
    }

    @Test
    void closeDuringAnOutageStillReleasesOnceRedisIsBack() {
        try (FaultProxy proxy = FaultProxy.start(redis);
             Latchkey viaProxy = Latchkey.builder().uri(proxy.uri()).commandTimeout(Duration.ofMillis(500)).build()) {
            DistributedSemaphore s = Semaphores.of(viaProxy).semaphore("outage", 1);
            DistributedSemaphore observer = Semaphores.of(direct).semaphore("outage", 1);
            Permit p = s.tryAcquire(Duration.ofMinutes(5)).orElseThrow();
            proxy.mode(FaultProxy.Mode.REFUSE);
            assertThrows(LatchkeyException.class, p::release);
            p.close(); // never throws; keeps retrying in the background
            assertEquals(1, observer.stats().holders(), "Redis never saw the release");
            proxy.mode(FaultProxy.Mode.PASS);
            await().atMost(Duration.ofSeconds(10)).until(() -> observer.stats().holders() == 0);
            assertEquals(1, observer.availablePermits(), "released long before its 5 minute lease");
        }
    }
}
