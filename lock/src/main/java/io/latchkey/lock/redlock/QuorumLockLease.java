package io.latchkey.lock.redlock;

import io.latchkey.core.LatchkeyException;
import io.latchkey.core.LeaseRequest;
import io.latchkey.core.ReleaseResult;
import io.latchkey.core.spi.Arguments;
import io.latchkey.core.spi.LeaseClock;
import io.latchkey.core.spi.LeaseState;
import io.latchkey.lock.redlock.RedlockNodeOutcome.Status;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A lease of a {@link QuorumLock}: local deadline = before-first-send + majority grant − drift. */
final class QuorumLockLease implements RedlockLease {

    private final QuorumLock lock;
    private final String owner;
    private final long token;
    /** Each node's own token (0: the node did not grant): the single-instance extend script checks it. */
    private final long[] nodeTokens;
    private final RedlockRound acquisition;
    private final RedlockRound fencing;
    private final Duration validityAtAcquisition;
    private final long acquiredNanos = System.nanoTime();
    private final LeaseState<ReleaseResult> state;
    private volatile RedlockRound lastExtension;
    private volatile RedlockRound releaseRound;

    QuorumLockLease(QuorumLock lock, String owner, long token, long[] nodeTokens, long deadlineNanos,
                     long leaseEndNanos, RedlockRound acquisition, RedlockRound fencing, Duration validity) {
        this.lock = lock;
        this.owner = owner;
        this.token = token;
        this.nodeTokens = nodeTokens;
        this.state = new LeaseState<>(LeaseClock.of(deadlineNanos, leaseEndNanos, lock::driftNanos),
                lock.metrics().lock::lost);
        this.acquisition = acquisition;
        this.fencing = fencing;
        this.validityAtAcquisition = validity;
    }

    void startWatchdog(LeaseRequest r) {
        long leaseMs = r.leaseTime().toMillis();
        state.startWatchdog(lock.scheduler(), lock.name(), r.leaseTime(), r.maxHold().orElse(null),
                () -> extendRound(leaseMs).thenApply(outcome -> {
                    if (outcome != EXTENDED) {
                        lock.metrics().lock.renewFailed();
                    }
                    if (outcome == INCONCLUSIVE) {
                        // not a loss: the watchdog tries again sooner while the lease is locally valid
                        throw new io.latchkey.core.LatchkeyTimeoutException("no majority of Redlock nodes extended " + lock.name(), null);
                    }
                    return outcome == EXTENDED;
                }),
                r.leaseLostListener().orElse(null));
    }

    @Override
    public String name() {
        return lock.name();
    }

    @Override
    public String id() {
        return owner;
    }

    @Override
    public long fencingToken() {
        return token;
    }

    @Override
    public Duration remaining() {
        return state.remaining();
    }

    @Override
    public boolean isValid() {
        return state.isValid();
    }

    @Override
    public Duration validityAtAcquisition() {
        return validityAtAcquisition;
    }

    @Override
    public RedlockRound acquisition() {
        return acquisition;
    }

    @Override
    public RedlockRound fencing() {
        return fencing;
    }

    @Override
    public Optional<RedlockRound> lastExtension() {
        return Optional.ofNullable(lastExtension);
    }

    @Override
    public Optional<RedlockRound> releaseRound() {
        return Optional.ofNullable(releaseRound);
    }

    // --- extend

    @Override
    public boolean extend(Duration leaseTime) {
        return lock.await(extendAsync(leaseTime));
    }

    @Override
    public CompletableFuture<Boolean> extendAsync(Duration leaseTime) {
        return extend(Arguments.toMillis(leaseTime, "leaseTime"));
    }

    /**
     * A majority must extend within the new lease's validity. A failed extension keeps the old deadline, but never
     * later than what the nodes that did extend now hold (an extension can shorten a lease).
     */
    private CompletableFuture<Boolean> extend(long leaseMs) {
        return extendRound(leaseMs).thenApply(outcome -> outcome == EXTENDED);
    }

    private static final int EXTENDED = 1;
    private static final int LOST = 0;
    private static final int INCONCLUSIVE = -1;

    /** EXTENDED, LOST (certainly, or past the deadline) or INCONCLUSIVE (too few answers; the old deadline holds). */
    private CompletableFuture<Integer> extendRound(long leaseMs) {
        if (state.isEnded()) {
            return CompletableFuture.completedFuture(LOST);
        }
        long sent = System.nanoTime();
        long leaseNanos = TimeUnit.MILLISECONDS.toNanos(leaseMs);
        long drift = lock.driftNanos(leaseNanos);
        return lock.round(RedlockRound.Operation.EXTEND, sent, n -> nodeTokens[n.index] == 0
                ? CompletableFuture.completedFuture(RedlockNodeOutcome.notSent(n.index))
                : n.extend(owner, nodeTokens[n.index], leaseMs)).thenApply(r -> {
            lastExtension = r;
            long newDeadline = sent + leaseNanos - drift;
            long now = System.nanoTime();
            // the majority must answer while the current lease is still valid: after that the lock may have been
            // someone else's in between, whatever the nodes say now
            boolean inTime = state.clock().isValid() && newDeadline - now > 0;
            boolean ok = inTime && r.count(Status.EXTENDED) >= lock.quorumSize();
            if (ok) {
                state.clock().renewed(sent, leaseNanos);
                return EXTENDED;
            }
            if (r.count(Status.EXTENDED) > 0) {
                state.clock().shortenTo(newDeadline);
            }
            if (!inTime || RedlockQuorum.certainlyLost(r.nodes(), lock.quorumSize())) {
                state.markLost();
                return LOST;
            }
            return INCONCLUSIVE;
        });
    }

    // --- release

    @Override
    public ReleaseResult release() {
        return lock.await(releaseAsync());
    }

    @Override
    public CompletableFuture<ReleaseResult> releaseAsync() {
        return state.release(this::sendRelease, ReleaseResult::wasHeld);
    }

    private CompletableFuture<ReleaseResult> sendRelease() {
        return lock.round(RedlockRound.Operation.RELEASE, System.nanoTime(), n -> n.release(owner)).thenApply(r -> {
            releaseRound = r;
            // nodes that did not answer keep trying in the background; their copy expires with the lease anyway
            for (RedlockNodeOutcome o : r.nodes()) {
                if (o.status() == Status.TIMED_OUT || o.status() == Status.UNAVAILABLE) {
                    lock.nodes().get(o.node()).releaseEventually(owner, state.clock().leaseEndNanos());
                }
            }
            if (!r.quorumReached()) {
                throw RedlockQuorum.noMajority("only " + r.answered() + " of " + r.nodes().size()
                        + " Redlock nodes answered the release of " + lock.name()
                        + "; the lock expires with its lease", r);
            }
            ReleaseResult outcome = RedlockQuorum.releaseResult(r.nodes());
            if (outcome.wasHeld()) {
                lock.metrics().lock.held(acquiredNanos);
            }
            return outcome;
        });
    }

    /** Releases a lease nobody will see, without blocking. */
    void abandon() {
        state.stopWatchdog().whenComplete((x, f) -> {
            for (RedlockNode n : lock.nodes()) {
                n.releaseEventually(owner, state.clock().leaseEndNanos());
            }
        });
    }

    @Override
    public void close() {
        // a failed release round already keeps sending the release to every node that did not answer
        state.close(this::release, () -> { }, this);
    }

    @Override
    public String toString() {
        return "RedlockLease[" + lock.name() + ", token=" + token + ", remaining=" + remaining() + "]";
    }
}
