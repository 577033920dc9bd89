package io.latchkey.benchmarks;

import io.latchkey.lock.DistributedLock;
import io.latchkey.lock.LockLease;
import io.latchkey.lock.redlock.Redlock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One operation = acquire and release a Redlock over three independent nodes, every thread its own lock name.
 * Acquire is two rounds (claim on every node, then the conditional fencing write-back), release one.
 */
public class RedlockBenchmarks {

    @State(Scope.Thread)
    public static class RedlockOwn {
        DistributedLock own;

        @Setup(Level.Trial)
        public void setup(Clients.RedlockNodes nodes, Clients.Worker worker) {
            own = Redlock.of(nodes.nodes).lock("redlock:" + worker.ownKey);
        }
    }

    @Benchmark
    public long latchkeyRedlock(RedlockOwn lock) {
        LockLease lease = lock.own.tryAcquire(LockBenchmarks.LEASE).orElseThrow(
                () -> new IllegalStateException("uncontended Redlock not acquired"));
        lease.release();
        return lease.fencingToken();
    }
}
