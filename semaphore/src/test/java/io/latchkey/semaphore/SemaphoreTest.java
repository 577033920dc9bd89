package io.latchkey.semaphore;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.Latchkey;
import io.latchkey.core.LatchkeyException;
import io.latchkey.core.LeaseRequest;
import io.latchkey.core.spi.Internals;
import io.latchkey.testing.EmbeddedRedis;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** Behaviour of one semaphore against a real redis-server. */
class SemaphoreTest {

    private static final Duration LONG = Duration.ofSeconds(30);
    // Waiters must be woken by the release message: their fallback re-check is far beyond the test's patience.
    private static final SemaphoreOptions NO_TIMER = SemaphoreOptions.builder().maxRecheck(Duration.ofSeconds(60)).build();

    private static EmbeddedRedis redis;
    private static SimpleMeterRegistry meters;
    private static Latchkey latchkey;
    private static Semaphores semaphores;
    private String name;

    @BeforeAll
    static void startRedis() {
        redis = EmbeddedRedis.start();
        meters = new SimpleMeterRegistry();
        latchkey = Latchkey.builder().uri(redis.uri()).meterRegistry(meters).build();
        semaphores = Semaphores.of(latchkey);
    }

    @AfterAll
    static void stopRedis() {
        if (latchkey != null) {
            latchkey.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @BeforeEach
    void name(TestInfo info) {
        name = info.getTestMethod().orElseThrow().getName();
    }

    private String permitsKey() {
        return latchkey.namespace() + ":{" + name + "}:permits";
    }

    private String metaKey() {
        return latchkey.namespace() + ":{" + name + "}:meta";
    }

    private long pttl(String key) {
        return (Long) redis.command("PTTL", key);
    }

    /** Every key of the semaphore is either absent or expiring: PTTL -1 is a bug. */
    private void assertKeysExpire() {
        for (String key : List.of(permitsKey(), metaKey())) {
            long ttl = pttl(key);
            assertTrue(ttl == -2 || ttl > 0, () -> key + " has PTTL " + ttl);
        }
    }

    @Test
    void grantsUpToTheLimitThenDeniesUntilARelease() {
        DistributedSemaphore s = semaphores.semaphore(name, 2);
        Permit a = s.tryAcquire(LONG).orElseThrow();
        Permit b = s.tryAcquire(LONG).orElseThrow();
        assertTrue(s.tryAcquire(LONG).isEmpty());
        assertEquals(0, s.availablePermits());
        assertNotEquals(a.id(), b.id());
        assertTrue(a.isValid());
        assertTrue(a.remaining().compareTo(LONG) < 0 && a.remaining().compareTo(Duration.ofSeconds(29)) > 0,
                () -> "remaining " + a.remaining());

        a.release();
        assertFalse(a.isValid());
        assertEquals(Duration.ZERO, a.remaining());
        assertEquals(1, s.availablePermits());
        Permit c = s.tryAcquire(LONG).orElseThrow();
        assertEquals(List.of(b.id(), c.id()).stream().sorted().toList(),
                s.holders().stream().map(PermitHolder::permitId).sorted().toList());
        b.close();
        c.close();
        assertEquals(2, s.availablePermits());
        assertKeysExpire();
    }

    @Test
    void releaseIsIdempotentAndNeverTouchesAnotherPermit() {
        DistributedSemaphore s = semaphores.semaphore(name, 2);
        Permit a = s.tryAcquire(LONG).orElseThrow();
        Permit b = s.tryAcquire(LONG).orElseThrow();
        a.release();
        a.release();
        a.close();
        // a release script sent with an id that holds nothing
        assertEquals(0L, ((RedisSemaphore) s).release("not-" + b.id()).join());
        assertEquals(List.of(b.id()), s.holders().stream().map(PermitHolder::permitId).toList());
        assertEquals(1, s.stats().holders());
        assertTrue(b.isValid());
        b.release();
        assertEquals(0, s.stats().holders());
    }

    @Test
    void aCrashedHoldersPermitReturnsWhenItsLeaseEnds() throws InterruptedException {
        DistributedSemaphore s = semaphores.semaphore(name, 1);
        Permit crashed = s.tryAcquire(Duration.ofMillis(300)).orElseThrow(); // never released: the holder "crashed"
        assertTrue(s.tryAcquire(LONG).isEmpty());
        long start = System.nanoTime();
        Permit next = s.tryAcquire(LONG, Duration.ofSeconds(5)).orElseThrow();
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(waitedMs < 3_000, "waited " + waitedMs + " ms");
        assertFalse(crashed.isValid());
        assertEquals(List.of(next.id()), s.holders().stream().map(PermitHolder::permitId).toList());
        double lostBefore = meters.counter(SemaphoreMetrics.LOST, "name", name).count();
        crashed.release(); // late release of an expired permit: no error, no effect on the new holder
        assertEquals(lostBefore + 1, meters.counter(SemaphoreMetrics.LOST, "name", name).count());
        assertTrue(next.isValid());
        assertEquals(1, s.stats().holders());
        next.release();
        assertKeysExpire();
    }

    @Test
    void extendProlongsALivePermitAndRefusesAGoneOne() {
        DistributedSemaphore s = semaphores.semaphore(name, 1);
        Permit p = s.tryAcquire(Duration.ofSeconds(2)).orElseThrow();
        assertTrue(p.extend(Duration.ofSeconds(20)));
        assertTrue(p.remaining().compareTo(Duration.ofSeconds(19)) > 0, () -> "remaining " + p.remaining());
        Duration serverSide = s.holders().get(0).remaining();
        assertTrue(serverSide.compareTo(Duration.ofSeconds(19)) > 0, () -> "server remaining " + serverSide);
        assertKeysExpire();
        p.release();
        assertFalse(p.extend(Duration.ofSeconds(5)));

        Permit shortLived = s.tryAcquire(Duration.ofMillis(100)).orElseThrow();
        await().atMost(Duration.ofSeconds(5)).until(() -> s.holders().isEmpty());
        assertFalse(shortLived.extend(Duration.ofSeconds(5)), "an expired permit cannot be revived");
        assertFalse(shortLived.isValid());
        assertEquals(0, s.stats().holders());
    }

    @Test
    void waitersAreWokenPromptlyByARelease() throws Exception {
        DistributedSemaphore s = semaphores.semaphore(name, 1, NO_TIMER);
        Permit holder = s.tryAcquire(LONG).orElseThrow();
        List<CompletableFuture<Optional<Permit>>> waiters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            waiters.add(s.tryAcquireAsync(LONG, Duration.ofSeconds(50)));
        }
        // every waiter made its attempts and is now parked on the release channel
        await().atMost(Duration.ofSeconds(5)).until(() -> Internals.of(latchkey).notifications().subscribedChannels() > 0);
        assertTrue(waiters.stream().noneMatch(CompletableFuture::isDone));

        Permit current = holder;
        for (int round = 1; round <= 3; round++) {
            current.release();
            int expected = round;
            await().atMost(Duration.ofSeconds(2))
                    .until(() -> waiters.stream().filter(CompletableFuture::isDone).count() == expected);
            current = waiters.stream().filter(CompletableFuture::isDone)
                    .map(CompletableFuture::join).map(Optional::orElseThrow)
                    .filter(Permit::isValid).findFirst().orElseThrow();
            assertEquals(1, s.stats().holders());
        }
        current.release();
        assertTrue(meters.counter(SemaphoreMetrics.WAITS, "name", name).count() >= 3);
    }

    @Test
    void resizeUpWakesWaitersAndShrinkKeepsHolders() throws Exception {
        DistributedSemaphore s = semaphores.semaphore(name, 3, NO_TIMER);
        List<Permit> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            held.add(s.tryAcquire(LONG).orElseThrow());
        }
        assertEquals(3, s.resize(1));
        SemaphoreStats shrunk = s.stats();
        assertEquals(1, shrunk.limit());
        assertEquals(3, shrunk.holders(), "holders beyond a shrunk limit keep their permits");
        assertTrue(held.stream().allMatch(p -> p.extend(LONG)));
        assertTrue(s.tryAcquire(LONG).isEmpty());
        held.get(0).release();
        held.get(1).release();
        assertTrue(s.tryAcquire(LONG).isEmpty(), "one holder left, limit 1: new acquires still wait");

        CompletableFuture<Optional<Permit>> waiter = s.tryAcquireAsync(LONG, Duration.ofSeconds(50));
        await().atMost(Duration.ofSeconds(5)).until(() -> Internals.of(latchkey).notifications().subscribedChannels() > 0);
        assertFalse(waiter.isDone());
        assertEquals(1, s.resize(2));
        Permit woken = waiter.get(2, TimeUnit.SECONDS).orElseThrow();
        assertEquals(2, s.stats().holders());
        assertKeysExpire();
        woken.release();
        held.get(2).release();
        // the resized limit is shared: another object of the same name sees it
        assertEquals(2, semaphores.semaphore(name, 7).stats().limit());
    }

    @Test
    void peakConcurrencyIsTrackedAndReset() {
        DistributedSemaphore s = semaphores.semaphore(name, 5);
        assertEquals(0, s.stats().peak());
        List<Permit> held = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            held.add(s.tryAcquire(LONG).orElseThrow());
        }
        held.remove(0).release();
        held.remove(0).release();
        SemaphoreStats stats = s.stats();
        assertEquals(4, stats.peak());
        assertEquals(2, stats.holders());
        assertEquals(2, s.resetPeak());
        SemaphoreStats reset = s.stats();
        assertEquals(2, reset.peak());
        assertTrue(reset.peakSince().isAfter(stats.peakSince()));
        held.forEach(Permit::release);
        assertEquals(2, s.stats().peak());
        assertKeysExpire();
    }

    @Test
    void keysAlwaysExpireAndOutliveTheLongestPermit() {
        SemaphoreOptions shortRetention = SemaphoreOptions.builder().stateRetention(Duration.ofSeconds(5)).build();
        DistributedSemaphore s = semaphores.semaphore(name, 2, shortRetention);
        Permit shortOne = s.tryAcquire(Duration.ofSeconds(1)).orElseThrow();
        assertKeysExpire();
        assertTrue(pttl(metaKey()) <= 5_000);
        Permit longOne = s.tryAcquire(Duration.ofHours(2)).orElseThrow();
        assertTrue(pttl(permitsKey()) > Duration.ofHours(2).toMillis() - 5_000, "keys live as long as the data");
        assertTrue(pttl(metaKey()) > Duration.ofHours(2).toMillis() - 5_000, "the limit lives as long as the data");
        assertTrue(shortOne.extend(Duration.ofSeconds(3)));
        assertKeysExpire();
        s.resize(3);
        assertKeysExpire();
        s.resetPeak();
        assertKeysExpire();
        longOne.release();
        shortOne.release();
        assertKeysExpire();
        assertTrue(pttl(metaKey()) <= 5_000, "without permits the state lives for the retention only");
    }

    @Test
    void watchdogRenewsUntilReleaseAndReportsLoss() {
        DistributedSemaphore s = semaphores.semaphore(name, 1);
        Duration lease = Duration.ofMillis(600);
        LeaseRequest o = LeaseRequest.builder(lease).watchdog(true).build();
        Permit p;
        try {
            p = s.tryAcquire(o).orElseThrow();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        long start = System.nanoTime();
        // well past several leases, the permit is still held because the watchdog renews it
        await().atMost(Duration.ofSeconds(5)).until(() -> System.nanoTime() - start > 3 * lease.toNanos());
        assertTrue(p.isValid());
        assertEquals(1, s.stats().holders());
        p.release();
        assertEquals(0, s.stats().holders());

        AtomicReference<Throwable> lostCause = new AtomicReference<>();
        LeaseRequest withListener = LeaseRequest.builder(lease).watchdog(true)
                .onLeaseLost((n, cause) -> lostCause.set(cause)).build();
        Permit q;
        try {
            q = s.tryAcquire(withListener).orElseThrow();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        redis.command("DEL", permitsKey()); // someone wiped the semaphore
        await().atMost(Duration.ofSeconds(3)).until(() -> lostCause.get() != null);
        assertInstanceOf(LatchkeyException.class, lostCause.get());
        assertFalse(q.isValid());
        q.close();
    }

    @Test
    void watchdogStopsAtMaxHold() throws InterruptedException {
        DistributedSemaphore s = semaphores.semaphore(name, 1);
        CountDownLatch told = new CountDownLatch(1);
        Permit p = s.tryAcquire(LeaseRequest.builder(Duration.ofMillis(300)).watchdog(true)
                .maxHold(Duration.ofMillis(400)).onLeaseLost((n, c) -> told.countDown()).build()).orElseThrow();
        assertTrue(told.await(5, TimeUnit.SECONDS), "listener told at max hold");
        await().atMost(Duration.ofSeconds(5)).until(() -> s.holders().isEmpty());
        assertFalse(p.isValid());
        p.close();
    }

    @Test
    void interruptedWaiterLeavesNothingBehind() throws Exception {
        DistributedSemaphore s = semaphores.semaphore(name, 1, NO_TIMER);
        Permit holder = s.tryAcquire(LONG).orElseThrow();
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                outcome.set(new AssertionError("acquired " + s.tryAcquire(LONG, Duration.ofSeconds(50))));
            } catch (InterruptedException e) {
                outcome.set(e);
            }
        });
        waiter.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> Internals.of(latchkey).notifications().subscribedChannels() > 0);
        waiter.interrupt();
        waiter.join(5_000);
        assertInstanceOf(InterruptedException.class, outcome.get());
        holder.release();
        assertEquals(0, s.stats().holders());
        assertEquals(1, s.availablePermits());
    }

    @Test
    void cancelledAsyncAcquireReleasesALateGrant() throws Exception {
        DistributedSemaphore s = semaphores.semaphore(name, 1, NO_TIMER);
        Permit holder = s.tryAcquire(LONG).orElseThrow();
        CompletableFuture<Optional<Permit>> waiter = s.tryAcquireAsync(LONG, Duration.ofSeconds(50));
        await().atMost(Duration.ofSeconds(5)).until(() -> Internals.of(latchkey).notifications().subscribedChannels() > 0);
        assertTrue(waiter.cancel(false));
        holder.release();
        assertEquals(0, s.stats().holders());
        Permit again = s.tryAcquire(LONG).orElseThrow();
        again.release();
    }

    @Test
    void zeroMaxWaitIsASingleAttempt() throws InterruptedException {
        DistributedSemaphore s = semaphores.semaphore(name, 1);
        Permit holder = s.tryAcquire(LONG).orElseThrow();
        assertTrue(s.tryAcquire(LONG, Duration.ZERO).isEmpty());
        assertTrue(s.tryAcquireAsync(LONG, Duration.ZERO).join().isEmpty());
        holder.release();
    }

    @Test
    void metricsCountAcquiresByResultAndTrackAvailablePermits() {
        DistributedSemaphore s = semaphores.semaphore(name, 1);
        Permit p = s.tryAcquire(LONG).orElseThrow();
        assertTrue(s.tryAcquire(LONG).isEmpty());
        assertEquals(1, meters.timer(SemaphoreMetrics.ACQUIRE, "name", name, "result", "acquired").count());
        assertEquals(1, meters.timer(SemaphoreMetrics.ACQUIRE, "name", name, "result", "not_acquired").count());
        assertEquals(0.0, meters.get(SemaphoreMetrics.AVAILABLE).tag("name", name).gauge().value());
        p.release();
        assertEquals(1.0, meters.get(SemaphoreMetrics.AVAILABLE).tag("name", name).gauge().value());
    }

    @Test
    void badInputIsRejectedBeforeAnyRedisCall() {
        redis.command("CONFIG", "RESETSTAT");
        assertThrows(NullPointerException.class, () -> Semaphores.of(null));
        assertMessage("name", assertThrows(NullPointerException.class, () -> semaphores.semaphore(null, 1)));
        assertMessage("name", assertThrows(IllegalArgumentException.class, () -> semaphores.semaphore(" ", 1)));
        assertMessage("name", assertThrows(IllegalArgumentException.class, () -> semaphores.semaphore("a{b}", 1)));
        assertMessage("permits", assertThrows(IllegalArgumentException.class, () -> semaphores.semaphore("x", 0)));
        assertMessage("permits", assertThrows(IllegalArgumentException.class, () -> semaphores.semaphore("x", -3)));
        assertMessage("options", assertThrows(NullPointerException.class, () -> semaphores.semaphore("x", 1, null)));
        DistributedSemaphore s = semaphores.semaphore(name, 1);
        assertMessage("leaseTime", assertThrows(NullPointerException.class, () -> s.tryAcquire((Duration) null)));
        assertMessage("leaseTime", assertThrows(IllegalArgumentException.class, () -> s.tryAcquire(Duration.ZERO)));
        assertMessage("leaseTime", assertThrows(IllegalArgumentException.class,
                () -> s.tryAcquire(Duration.ofSeconds(-1), Duration.ZERO)));
        assertMessage("maxWait", assertThrows(IllegalArgumentException.class,
                () -> s.tryAcquire(LONG, Duration.ofSeconds(-1))));
        assertMessage("maxWait", assertThrows(NullPointerException.class, () -> s.tryAcquireAsync(LONG, null)));
        assertMessage("request", assertThrows(NullPointerException.class, () -> s.tryAcquire((LeaseRequest) null)));
        assertMessage("newLimit", assertThrows(IllegalArgumentException.class, () -> s.resize(0)));
        String stats = (String) redis.command("INFO", "commandstats");
        assertFalse(stats.contains("cmdstat_eval"), () -> "a script ran: " + stats);

        Permit p = s.tryAcquire(LONG).orElseThrow();
        assertMessage("leaseTime", assertThrows(IllegalArgumentException.class, () -> p.extend(Duration.ZERO)));
        assertMessage("leaseTime", assertThrows(NullPointerException.class, () -> p.extend(null)));
        p.release();
    }

    @Test
    void redisFailureFailsClosed() {
        EmbeddedRedis doomed = EmbeddedRedis.start();
        try (Latchkey lk = Latchkey.builder().uri(doomed.uri()).commandTimeout(Duration.ofMillis(500)).build()) {
            DistributedSemaphore s = Semaphores.of(lk).semaphore(name, 1);
            Permit p = s.tryAcquire(LONG).orElseThrow();
            doomed.kill();
            assertThrows(LatchkeyException.class, () -> s.tryAcquire(LONG));
            assertThrows(LatchkeyException.class, () -> s.tryAcquire(LONG, Duration.ofSeconds(1)));
            assertThrows(LatchkeyException.class, s::availablePermits);
            assertThrows(LatchkeyException.class, p::release);
            p.close(); // never throws
        } finally {
            doomed.close();
        }
    }

    @Test
    void eachDecisionIsOneScriptCall() {
        DistributedSemaphore s = semaphores.semaphore(name, 1);
        s.tryAcquire(LONG).orElseThrow().release(); // scripts cached
        long before = scriptCalls();
        Permit p = s.tryAcquire(LONG).orElseThrow();
        assertEquals(before + 1, scriptCalls(), "acquire = 1 round trip");
        assertTrue(s.tryAcquire(LONG).isEmpty());
        assertEquals(before + 2, scriptCalls(), "a denied acquire = 1 round trip");
        assertTrue(p.extend(LONG));
        assertEquals(before + 3, scriptCalls(), "extend = 1 round trip");
        p.release();
        assertEquals(before + 4, scriptCalls(), "release = 1 round trip");
    }

    private static long scriptCalls() {
        return redis.commandCalls("evalsha") + redis.commandCalls("eval");
    }

    private static void assertMessage(String parameter, Throwable e) {
        assertTrue(String.valueOf(e.getMessage()).contains(parameter),
                () -> "message should name " + parameter + ": " + e.getMessage());
    }
}
