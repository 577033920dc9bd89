package io.latchkey.benchmarks;

import io.latchkey.semaphore.DistributedSemaphore;
import io.latchkey.semaphore.Permit;
import io.latchkey.semaphore.Semaphores;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.redisson.api.RPermitExpirableSemaphore;
import org.redisson.api.RSemaphore;

/**
 * One operation = try to take a permit of one shared semaphore (no wait) and give it back. The semaphore has
 * {@link #PERMITS} permits, more than there are threads, so every attempt succeeds: this measures the acquire and
 * release round trips, not queueing.
 */
public class SemaphoreBenchmarks {

    static final int PERMITS = 1000;
    static final Duration LEASE = Duration.ofSeconds(30);

    @State(Scope.Benchmark)
    public static class LatchkeySemaphore {
        DistributedSemaphore semaphore;

        @Setup(Level.Trial)
        public void setup(Clients.LatchkeyClient client) {
            semaphore = Semaphores.of(client.latchkey).semaphore("uploads", PERMITS);
        }
    }

    @State(Scope.Benchmark)
    public static class RedissonSemaphores {
        RSemaphore plain;
        RPermitExpirableSemaphore expirable;

        @Setup(Level.Trial)
        public void setup(Clients.RedissonState client) {
            plain = client.redisson.getSemaphore("redisson:uploads");
            plain.trySetPermits(PERMITS);
            expirable = client.redisson.getPermitExpirableSemaphore("redisson:uploads-expirable");
            expirable.trySetPermits(PERMITS);
        }
    }

    @Benchmark
    public boolean latchkey(LatchkeySemaphore s) {
        Optional<Permit> permit = s.semaphore.tryAcquire(LEASE);
        permit.ifPresent(Permit::release);
        return permit.isPresent();
    }

    @Benchmark
    public boolean redissonSemaphore(RedissonSemaphores s) {
        if (!s.plain.tryAcquire()) {
            return false;
        }
        s.plain.release();
        return true;
    }

    @Benchmark
    public boolean redissonPermitExpirable(RedissonSemaphores s) throws InterruptedException {
        String id = s.expirable.tryAcquire(0, LEASE.toMillis(), TimeUnit.MILLISECONDS);
        if (id == null) {
            return false;
        }
        s.expirable.release(id);
        return true;
    }
}
