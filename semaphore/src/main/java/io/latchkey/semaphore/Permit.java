package io.latchkey.semaphore;

import io.latchkey.core.Lease;
import io.latchkey.core.ReleaseResult;

/**
 * One permit of a {@link DistributedSemaphore}: a {@link Lease} on one of its slots. Release it in a
 * {@code try}-with-resources block:
 *
 * <pre>{@code
 * try (Permit p = semaphore.tryAcquire(lease, maxWait).orElseThrow()) { ... }
 * }</pre>
 *
 * <p>{@link #id()} is the permit's id as stored in Redis, {@link #name()} the semaphore's name. {@link #release()}
 * answers {@link ReleaseResult#RELEASED} or, if the permit had expired, {@link ReleaseResult#ALREADY_GONE}. A permit
 * has no fencing token (see {@link Lease}).
 */
public interface Permit extends Lease {
}
