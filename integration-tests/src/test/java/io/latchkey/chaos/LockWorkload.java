package io.latchkey.chaos;

import static org.awaitility.Awaitility.await;

import io.latchkey.core.LatchkeyException;
import io.latchkey.core.ReleaseResult;
import io.latchkey.lock.DistributedLock;
import io.latchkey.lock.FencedResource;
import io.latchkey.lock.LockLease;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * What a lock client does, for single-instance locks and Redlock alike: acquire (waiting briefly), then inside the
 * critical section read the fenced counter, read-modify-write an unfenced in-JVM counter (the client pause, if one
 * is pending, strikes between the read and the write), write the fenced counter with {@code writeOnce(token)},
 * release. Every step is recorded.
 */
final class LockWorkload {

    static final String COUNTER = "counter";

    private final IntFunction<DistributedLock> lockOfClient;
    private final FencedResource resource;
    private final DistributedLock adminLock;
    private final Duration lease;
    private final Duration maxWait;
    private final DistributedLock[] locks;
    private Duration hold = Duration.ZERO;
    /** The unfenced resource: a plain field, incremented read-modify-write (deliberately not atomic). */
    private volatile long unfenced;

    LockWorkload(int clients, IntFunction<DistributedLock> lockOfClient, FencedResource resource,
                 DistributedLock adminLock, Duration lease, Duration maxWait) {
        this.lockOfClient = lockOfClient;
        this.resource = resource;
        this.adminLock = adminLock;
        this.lease = lease;
        this.maxWait = maxWait;
        this.locks = new DistributedLock[clients];
        for (int c = 0; c < clients; c++) {
            locks[c] = lockOfClient.apply(c);
        }
    }

    /** Extra time each holder keeps the lock after writing (so faults strike while locks are held). */
    LockWorkload hold(Duration d) {
        this.hold = d;
        return this;
    }

    void step(ChaosRun run, int client, Random random) throws InterruptedException {
        History h = run.history;
        long inv = h.now();
        Optional<LockLease> acquired;
        try {
            acquired = locks[client].tryAcquire(lease, maxWait);
        } catch (LatchkeyException e) {
            h.add(new Op(client, "acquire", null, inv, h.now(), Outcome.of(e), null, null, null,
                    e.getClass().getSimpleName()));
            return;
        }
        long cmp = h.now();
        if (acquired.isEmpty()) {
            h.add(Op.ok(client, "acquire", null, inv, cmp).withValue(0L));
            return;
        }
        LockLease l = acquired.get();
        long before = h.now();
        long deadline = before + l.remaining().toNanos(); // the lease's own local deadline (never later)
        h.add(Op.ok(client, "acquire", l.id(), inv, cmp).withValue(1L).withToken(l.fencingToken())
                .withDeadline(deadline));
        try {
            criticalSection(run, client, random, l, deadline);
            if (!hold.isZero()) {
                LockSupport.parkNanos(hold.toNanos()); // the holder's remaining "work"
            }
        } finally {
            long rinv = h.now();
            try {
                ReleaseResult r = l.release();
                h.add(Op.ok(client, "release", l.id(), rinv, h.now()).withInfo(r.name()));
            } catch (LatchkeyException e) {
                h.add(new Op(client, "release", l.id(), rinv, h.now(), Outcome.of(e), null, null, null,
                        e.getClass().getSimpleName()));
            }
        }
    }

    private void criticalSection(ChaosRun run, int client, Random random, LockLease l, long deadline) {
        History h = run.history;
        long rinv = h.now();
        long fencedValue;
        try {
            fencedValue = resource.read(COUNTER).map(v -> Long.parseLong(v.value())).orElse(0L);
            h.add(Op.ok(client, "fenced-read", l.id(), rinv, h.now()).withValue(fencedValue));
        } catch (LatchkeyException e) {
            h.add(new Op(client, "fenced-read", l.id(), rinv, h.now(), Outcome.of(e), null, null, null,
                    e.getClass().getSimpleName()));
            return;
        }
        if (!l.isValid()) {
            return; // a careful client checks its lease before writing; the pause below strikes after the check
        }
        long iinv = h.now();
        long u = unfenced;
        run.pauses.maybePause(client, h);
        LockSupport.parkNanos(Duration.ofMillis(1 + random.nextInt(3)).toNanos()); // the "work"
        unfenced = u + 1;
        long icmp = h.now();
        h.add(Op.ok(client, "incr", l.id(), iinv, icmp).withValue(u + 1).withToken(l.fencingToken())
                .withDeadline(deadline).withInfo(icmp > deadline ? "late" : null));
        long winv = h.now();
        try {
            boolean accepted = resource.writeOnce(COUNTER, Long.toString(fencedValue + 1), l.fencingToken(),
                    Duration.ofHours(1));
            h.add(Op.ok(client, "fenced-write", l.id(), winv, h.now()).withValue(fencedValue + 1)
                    .withToken(l.fencingToken()).withInfo(accepted ? "accepted" : "rejected"));
        } catch (LatchkeyException e) {
            h.add(new Op(client, "fenced-write", l.id(), winv, h.now(), Outcome.of(e), fencedValue + 1,
                    l.fencingToken(), null, e.getClass().getSimpleName()));
        }
    }

    /** Waits past the max lease: the lock must be free; then every client acquires and releases once. */
    void finalPhase(ChaosRun run, Duration maxLease) {
        History h = run.history;
        await("lock free once the max lease passed").pollDelay(maxLease.plusMillis(200))
                .atMost(maxLease.plusSeconds(20)).ignoreExceptions().until(() -> !adminLock.isLocked());
        for (int c = 0; c < locks.length; c++) {
            int client = c;
            await("client " + c + " acquires after healing").atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
                        long inv = h.now();
                        Optional<LockLease> l = locks[client].tryAcquire(lease, Duration.ofSeconds(1));
                        if (l.isEmpty()) {
                            return false;
                        }
                        long cmp = h.now();
                        LockLease lease = l.get();
                        long deadline = h.now() + lease.remaining().toNanos();
                        h.add(Op.ok(client, "acquire", lease.id(), inv, cmp).withValue(1L)
                                .withToken(lease.fencingToken()).withDeadline(deadline).withInfo("final"));
                        long rinv = h.now();
                        ReleaseResult r = lease.release();
                        h.add(Op.ok(client, "release", lease.id(), rinv, h.now()).withInfo(r.name()));
                        return r == ReleaseResult.RELEASED;
                    });
        }
        long inv = h.now();
        long value = resource.read(COUNTER).map(v -> Long.parseLong(v.value())).orElse(0L);
        h.add(Op.ok(-1, "fenced-read", "final", inv, h.now()).withValue(value));
        run.state.put("fencedFinal", value);
        run.state.put("unfencedFinal", unfenced);
    }

    /** Which checks are expected to pass, and which one is a checker self-test that must find violations. */
    enum Mode {
        /** Every check must pass. */
        SAFE,
        /** Unfenced writers MUST overlap (client pause past the lease); the fenced resource must stay correct. */
        UNFENCED_SELF_TEST,
        /** Believed holds MUST overlap (Redlock precondition broken); tokens must still increase. */
        HOLDERS_SELF_TEST
    }

    /** Holders, token order, fenced resource, counters, according to {@code mode}. */
    List<CheckResult> check(ChaosRun run, List<Op> ops, Mode mode) {
        List<CheckResult> checks = new ArrayList<>();
        CheckResult holders = HoldChecker.check("holders<=1", ops, "acquire", "release", 1);
        checks.add(mode == Mode.HOLDERS_SELF_TEST ? holders.mustFind() : holders);
        checks.add(OrderChecker.check("tokens increase", ops.stream()
                .filter(o -> o.f().equals("acquire") && o.ok() && o.token() != null).toList(), "leases"));
        checks.add(OrderChecker.check("fenced resource accepts increasing tokens", ops.stream()
                .filter(o -> o.f().equals("fenced-write") && o.ok() && "accepted".equals(o.info())).toList(),
                "accepted writes"));
        Long fencedFinal = run.get("fencedFinal");
        Long unfencedFinal = run.get("unfencedFinal");
        if (mode == Mode.HOLDERS_SELF_TEST) {
            return checks; // with two holders the counters are expected to lose updates: nothing more to assert
        }
        if (fencedFinal != null) {
            checks.add(CounterChecker.fenced(ops, fencedFinal));
        }
        if (unfencedFinal != null && mode == Mode.SAFE) {
            checks.add(CounterChecker.unfenced(ops, unfencedFinal));
        }
        checks.add(mode == Mode.UNFENCED_SELF_TEST ? CounterChecker.overlappingWriters(ops, false).mustFind()
                : CounterChecker.overlappingWriters(ops, true));
        return checks;
    }
}
