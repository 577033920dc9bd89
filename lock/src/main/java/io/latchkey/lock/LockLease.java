package io.latchkey.lock;

import io.latchkey.core.Lease;
import io.latchkey.core.ReleaseResult;

/**
 * A held lock: a {@link Lease} with a fencing token. Release it in a {@code try}-with-resources block.
 *
 * <p>The local deadline's drift margin comes from {@link LockOptions#driftFactor()} and
 * {@link LockOptions#driftMinimum()}. Validity is local knowledge only: a process pause can outlast it, which is why
 * resources should check {@link #fencingToken()}.
 *
 * <p>{@link #release()} frees the lock if this lease still owns it and lets the next waiter have it (the
 * single-instance lock hands it to the first waiter in the same script; Redlock wakes its waiters) and answers
 * {@link ReleaseResult#RELEASED}, {@link ReleaseResult#ALREADY_GONE} or {@link ReleaseResult#TAKEN_OVER}.
 * {@link #extend(java.time.Duration)} never re-creates an expired lock.
 */
public interface LockLease extends Lease {

    /**
     * The fencing token: strictly greater than the token of every earlier lease of the same lock name. Pass it to
     * the protected resource, which rejects writes carrying an older token (see {@link FencedResource}).
     */
    long fencingToken();
}
