package io.latchkey.lock;

import static org.awaitility.Awaitility.await;
import io.latchkey.core.spi.Internals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.Latchkey;
import io.latchkey.core.LatchkeyException;
import io.latchkey.core.ReleaseResult;
import io.latchkey.lock.redlock.Redlock;
import io.latchkey.testing.AclUsers;
import io.latchkey.testing.EmbeddedRedis;
import io.latchkey.testing.RedisTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Locks and Redlock under exactly the ACL user docs/security.md prescribes ({@link AclUsers}), and under one without
 * channel permission: what a release answers and what the old lease says must match what Redis did.
 */
@RedisTest(nodes = 3)
class LockAclTest {

    private static final String NS = "acl-app";
    private static final Duration LONG = Duration.ofSeconds(30);
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    /** Re-checks a minute away: within the test's patience only a pub/sub message can wake a waiter. */
    private static final LockOptions NO_TIMER = LockOptions.builder().maxRecheck(Duration.ofSeconds(60)).build();
    private static final LockOptions FAST_RECHECK = LockOptions.builder().maxRecheck(Duration.ofMillis(100)).build();

    private final List<Latchkey> clients = new ArrayList<>();

    @AfterEach
    void close() {
        clients.forEach(Latchkey::close);
    }

    private List<Latchkey> connect(List<EmbeddedRedis> nodes, Function<EmbeddedRedis, String> user) {
        List<Latchkey> out = new ArrayList<>();
        for (EmbeddedRedis node : nodes) {
            Latchkey lk = Latchkey.builder().uri(user.apply(node)).namespace(NS).build();
            clients.add(lk);
            out.add(lk);
        }
        // the restriction is in force: a key outside the namespace is refused
        assertThrows(LatchkeyException.class, () -> Internals.of(out.get(0)).redis().callSync(c -> c.set("outside", "x")));
        return out;
    }

    private static long subscribers(EmbeddedRedis node, String channel) {
        return (Long) ((List<?>) node.command("PUBSUB", "NUMSUB", channel)).get(1);
    }

    @Test
    void locksAndRedlockWorkUnderTheLeastPrivilegeUser(List<EmbeddedRedis> nodes) throws Exception {
        List<Latchkey> lks = connect(nodes, n -> AclUsers.createLeastPrivilege(n, "app", "app-pw", NS));
        Latchkey lk = lks.get(0);

        DistributedLock lock = Locks.of(lk).lock("order:42", NO_TIMER);
        LockLease first = lock.tryAcquire(LONG).orElseThrow();
        assertTrue(lock.isLocked());
        assertEquals(first.id(), lock.holder().orElseThrow().ownerId());
        assertTrue(first.extend(LONG));
        CompletableFuture<Optional<LockLease>> waiter = lock.tryAcquireAsync(LONG, PATIENCE.multipliedBy(2));
        await().atMost(PATIENCE).until(() -> subscribers(nodes.get(0), NS + ":{order:42}:released") == 1);
        assertEquals(ReleaseResult.RELEASED, first.release());
        LockLease second = waiter.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS).orElseThrow(); // woken by PUBLISH
        assertTrue(second.fencingToken() > first.fencingToken());
        assertTrue(lock.forceRelease());
        assertEquals(ReleaseResult.ALREADY_GONE, second.release());

        FencedResource resource = Locks.of(lk).fencedResource("ledger");
        assertTrue(resource.write("acct:1", "100", second.fencingToken(), LONG));
        assertEquals("100", resource.read("acct:1").orElseThrow().value());

        Redlock redlock = Redlock.of(lks);
        DistributedLock red = redlock.lock("job:nightly", NO_TIMER);
        LockLease r1 = red.tryAcquire(LONG).orElseThrow();
        assertTrue(r1.extend(LONG));
        long attempts = nodes.get(0).commandCalls("evalsha");
        CompletableFuture<Optional<LockLease>> redWaiter = red.tryAcquireAsync(LONG, PATIENCE.multipliedBy(2));
        // Redlock waiters retry with backoff: let the first attempt be refused before the release
        await().atMost(PATIENCE).until(() -> nodes.get(0).commandCalls("evalsha") > attempts);
        assertFalse(redWaiter.isDone());
        assertEquals(ReleaseResult.RELEASED, r1.release());
        LockLease r2 = redWaiter.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS).orElseThrow();
        assertTrue(red.isLocked());
        assertTrue(red.forceRelease());
        assertFalse(red.isLocked());
        assertFalse(r2.release().wasHeld());
    }

    @Test
    void releasesTellTheTruthWithoutChannelPermission(List<EmbeddedRedis> nodes) throws Exception {
        List<Latchkey> lks = connect(nodes, n -> AclUsers.createWithoutChannels(n, "mute", "mute-pw", NS));
        EmbeddedRedis admin = nodes.get(0);
        DistributedLock lock = Locks.of(lks.get(0)).lock("order:7", FAST_RECHECK);
        LockLease first = lock.tryAcquire(LONG).orElseThrow();
        CompletableFuture<Optional<LockLease>> waiter = lock.tryAcquireAsync(LONG, PATIENCE);
        await().atMost(PATIENCE).until(() -> (Long) admin.command("LLEN", NS + ":{order:7}:queue") == 1);
        String queued = (String) admin.command("LINDEX", NS + ":{order:7}:queue", "0");

        // the release hands the lock over, then cannot PUBLISH: it is still a release
        assertEquals(ReleaseResult.RELEASED, first.release());
        assertFalse(first.isValid(), "the old lease says what Redis says");
        assertEquals(queued, admin.command("HGET", NS + ":{order:7}:lock", "owner"), "handed to the waiter");
        LockLease second = waiter.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS).orElseThrow(); // its re-check
        assertEquals(queued, second.id());

        // a third party's force-release hands over to the next waiter, also without a message
        CompletableFuture<Optional<LockLease>> next = lock.tryAcquireAsync(LONG, PATIENCE);
        await().atMost(PATIENCE).until(() -> (Long) admin.command("LLEN", NS + ":{order:7}:queue") == 1);
        assertTrue(lock.forceRelease());
        LockLease third = next.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS).orElseThrow();
        assertTrue(third.fencingToken() > second.fencingToken());
        assertEquals(ReleaseResult.TAKEN_OVER, second.release());
        assertEquals(ReleaseResult.RELEASED, third.release());

        DistributedLock red = Redlock.of(lks).lock("job:mute", FAST_RECHECK);
        LockLease r1 = red.tryAcquire(LONG).orElseThrow();
        CompletableFuture<Optional<LockLease>> redWaiter = red.tryAcquireAsync(LONG, PATIENCE);
        assertEquals(ReleaseResult.RELEASED, r1.release());
        assertFalse(r1.isValid());
        assertTrue(redWaiter.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS).orElseThrow().release().wasHeld());
        assertFalse(red.forceRelease(), "nothing left to force");
        LockLease r3 = red.tryAcquire(LONG).orElseThrow();
        assertTrue(red.forceRelease());
        assertFalse(r3.release().wasHeld());
    }
}
