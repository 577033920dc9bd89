package io.latchkey.benchmarks;

import io.latchkey.core.spi.Ids;
import io.latchkey.lock.DistributedLock;
import io.latchkey.lock.LockLease;
import io.latchkey.lock.Locks;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.redisson.api.RLock;

/**
 * One operation = acquire and release a lock. Uncontended: every thread its own lock name. Contended: all threads
 * one lock name, waiting up to {@link #MAX_WAIT} for it.
 */
public class LockBenchmarks {

    static final Duration LEASE = Duration.ofSeconds(30);
    static final Duration MAX_WAIT = Duration.ofSeconds(10);

    /** Latchkey locks: the thread's own and the shared one. */
    @State(Scope.Thread)
    public static class LatchkeyLocks {
        DistributedLock own;
        DistributedLock shared;

        @Setup(Level.Trial)
        public void setup(Clients.LatchkeyClient client, Clients.Worker worker) {
            Locks locks = Locks.of(client.latchkey);
            own = locks.lock("lock:" + worker.ownKey);
            shared = locks.lock("lock:shared");
        }
    }

    /** Redisson locks: the thread's own and the shared one. */
    @State(Scope.Thread)
    public static class RedissonLocks {
        RLock own;
        RLock shared;

        @Setup(Level.Trial)
        public void setup(Clients.RedissonState client, Clients.Worker worker) {
            own = client.redisson.getLock("redisson:lock:" + worker.ownKey);
            shared = client.redisson.getLock("redisson:lock:shared");
        }
    }

    /** The physical limit: SET NX PX, then an EVALSHA compare-and-delete, on one shared Lettuce connection. */
    @Benchmark
    public boolean rawUncontended(Clients.RawLettuce raw, Clients.Worker worker) {
        String key = "raw:lock:" + worker.ownKey;
        String owner = Ids.newId();
        if (raw.redis.set(key, owner, SetArgs.Builder.nx().px(LEASE.toMillis())) == null) {
            throw new IllegalStateException("uncontended raw lock not acquired");
        }
        Long deleted = raw.redis.evalsha(raw.compareAndDelete, ScriptOutputType.INTEGER, new String[] {key}, owner);
        return deleted == 1L;
    }

    @Benchmark
    public long latchkeyUncontended(LatchkeyLocks locks) {
        LockLease lease = locks.own.tryAcquire(LEASE).orElseThrow(
                () -> new IllegalStateException("uncontended lock not acquired"));
        lease.release();
        return lease.fencingToken();
    }

    @Benchmark
    public long latchkeyContended(LatchkeyLocks locks) throws InterruptedException {
        Optional<LockLease> lease = locks.shared.tryAcquire(LEASE, MAX_WAIT);
        if (lease.isEmpty()) {
            return -1;
        }
        lease.get().release();
        return lease.get().fencingToken();
    }

    @Benchmark
    public boolean redissonUncontended(RedissonLocks locks) throws InterruptedException {
        if (!locks.own.tryLock(0, LEASE.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("uncontended Redisson lock not acquired");
        }
        locks.own.unlock();
        return true;
    }

    @Benchmark
    public boolean redissonContended(RedissonLocks locks) throws InterruptedException {
        if (!locks.shared.tryLock(MAX_WAIT.toMillis(), LEASE.toMillis(), TimeUnit.MILLISECONDS)) {
            return false;
        }
        locks.shared.unlock();
        return true;
    }
}
