package io.latchkey.lock;

import io.latchkey.core.Latchkey;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Work in progress. */
final class RedisLock implements DistributedLock {
    private final String name;

    RedisLock(Latchkey latchkey, String name, LockOptions options) {
        this.name = name;
    }

    @Override public String name() { return name; }
    @Override public Optional<LockLease> tryAcquire(Duration leaseTime) { throw new UnsupportedOperationException(); }
    @Override public Optional<LockLease> tryAcquire(Duration leaseTime, Duration maxWait) { throw new UnsupportedOperationException(); }
    @Override public CompletableFuture<Optional<LockLease>> tryAcquireAsync(Duration leaseTime, Duration maxWait) { throw new UnsupportedOperationException(); }
    @Override public Optional<LockLease> tryAcquire(LockRequest request) { throw new UnsupportedOperationException(); }
    @Override public CompletableFuture<Optional<LockLease>> tryAcquireAsync(LockRequest request) { throw new UnsupportedOperationException(); }
    @Override public boolean isLocked() { throw new UnsupportedOperationException(); }
    @Override public Optional<LockHolder> holder() { throw new UnsupportedOperationException(); }
    @Override public boolean forceRelease() { throw new UnsupportedOperationException(); }
}
