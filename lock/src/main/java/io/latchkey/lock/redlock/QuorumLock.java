package io.latchkey.lock.redlock;

import io.latchkey.core.spi.Failures;
import io.latchkey.core.Latchkey;
import io.latchkey.core.LatchkeyException;
import io.latchkey.core.LeaseRequest;
import io.latchkey.core.spi.Acquisitions;
import io.latchkey.core.spi.EventDrivenWait;
import io.latchkey.core.spi.Ids;
import io.latchkey.core.spi.LeaseClock;
import io.latchkey.core.spi.LockMetrics;
import io.latchkey.lock.LockHolder;
import io.latchkey.lock.LockLease;
import io.latchkey.lock.LockOptions;
import io.latchkey.lock.redlock.RedlockNodeOutcome.Status;
import io.latchkey.core.spi.Backoff;
import io.latchkey.core.spi.Internals;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Redlock on N independent nodes. An acquisition is two parallel rounds: (1) the single-instance acquire script on
 * every node, at once, each bounded by the per-node timeout; with a majority of grants whose validity (majority
 * grant − elapsed since before the first send − drift) is positive, (2) the conditional fencing write-back of the
 * largest token of the majority, which must also reach a majority within the validity. Any failure releases the
 * owner on every node (timed-out ones included: their grant may still land) and retries with jittered backoff.
 */
final class QuorumLock implements RedlockLock {

    private final String name;
    private final List<RedlockNode> nodes;
    private final int quorum;
    private final RedlockOptions redlockOptions;
    private final LockOptions options;
    private final Backoff backoff;
    private final RedlockMetrics metrics;
    private volatile RedlockRound lastFailedAttempt;

    QuorumLock(List<Latchkey> clients, String name, RedlockOptions redlockOptions, LockOptions options,
                    List<String> nodeNames) {
        this.name = name;
        this.redlockOptions = redlockOptions;
        this.options = options;
        List<RedlockNode> list = new ArrayList<>();
        for (int i = 0; i < clients.size(); i++) {
            list.add(new RedlockNode(i, clients.get(i), name, redlockOptions.nodeTimeout(), options));
        }
        this.nodes = List.copyOf(list);
        this.quorum = RedlockQuorum.quorum(nodes.size());
        this.backoff = Backoff.exponential(redlockOptions.retryInitial(), redlockOptions.retryMax());
        this.metrics = new RedlockMetrics(clients.get(0).meterRegistry(), LockMetrics.group(name, options.metricsGroup()), nodeNames);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int nodeCount() {
        return nodes.size();
    }

    @Override
    public int quorum() {
        return quorum;
    }

    @Override
    public Optional<RedlockRound> lastFailedAttempt() {
        return Optional.ofNullable(lastFailedAttempt);
    }

    // --- acquire

    @Override
    public Optional<LockLease> tryAcquire(Duration leaseTime) {
        CompletableFuture<Optional<LockLease>> f = acquire(LeaseRequest.of(leaseTime));
        try {
            return Internals.of(nodes.get(0).latchkey).redis().await(f);
        } catch (LatchkeyException e) {
            f.cancel(false); // a lease granted after we gave up is released
            throw e;
        }
    }

    @Override
    public Optional<LockLease> tryAcquire(LeaseRequest request) throws InterruptedException {
        return EventDrivenWait.awaitInterruptibly(tryAcquireAsync(request));
    }

    @Override
    public CompletableFuture<Optional<LockLease>> tryAcquireAsync(LeaseRequest request) {
        Objects.requireNonNull(request, "request");
        return acquire(request);
    }

    private CompletableFuture<Optional<LockLease>> acquire(LeaseRequest request) {
        Acquisition a = new Acquisition(request);
        a.run();
        // outcome metrics, the watchdog started before the caller sees the lease, cancellation: as every primitive
        return Acquisitions.deliver(a.result, a.start, metrics.lock.acquires(), lease -> {
            if (request.watchdog()) {
                lease.startWatchdog(request);
            }
        }, QuorumLockLease::abandon);
    }

    /** The outcome of one attempt: a lease, or the failed round with a retry hint. */
    private record Attempt(QuorumLockLease lease, RedlockRound round, long hintMillis) {
    }

    /**
     * One caller's acquisition: attempts until a lease, {@code maxWait}, or cancellation (of {@link #result}, by
     * {@link Acquisitions#deliver}, which records the outcome). Waiting is a jittered
     * backoff loop rather than pub/sub: a release is published on N nodes, and waking every waiter at the same
     * instant is exactly what makes Redlock contenders split the vote so that nobody reaches a majority.
     */
    private final class Acquisition {
        final LeaseRequest request;
        final long leaseMs;
        final long start = System.nanoTime();
        final long deadline;
        final CompletableFuture<Optional<QuorumLockLease>> result = new CompletableFuture<>();
        int attempts;
        volatile ScheduledFuture<?> timer;

        Acquisition(LeaseRequest request) {
            this.request = request;
            this.leaseMs = request.leaseTime().toMillis();
            this.deadline = start + Math.min(request.maxWait().toNanos(), Long.MAX_VALUE / 4);
            result.whenComplete((v, f) -> {
                if (result.isCancelled()) {
                    ScheduledFuture<?> t = timer;
                    if (t != null) {
                        t.cancel(false);
                    }
                }
            });
        }

        void run() {
            if (result.isDone()) {
                return;
            }
            if (++attempts == 2) {
                metrics.lock.waited();
            }
            CompletableFuture<Attempt> attempt;
            try {
                // A new owner per attempt: the background releases of a failed attempt (retried while a node does
                // not answer) can then never delete a grant of a later attempt of the same call.
                attempt = attemptOnce(Ids.newId(), leaseMs);
            } catch (RuntimeException e) {
                attempt = CompletableFuture.failedFuture(e);
            }
            attempt.whenComplete(this::onAttempt);
        }

        private void onAttempt(Attempt outcome, Throwable failure) {
            if (failure != null) {
                result.completeExceptionally(Failures.translate(failure));
                return;
            }
            if (outcome.lease() != null) {
                QuorumLockLease lease = outcome.lease();
                if (!result.complete(Optional.of(lease))) {
                    lease.abandon(); // the caller cancelled while the grant was on its way
                }
                return;
            }
            lastFailedAttempt = outcome.round();
            if (result.isDone()) {
                return;
            }
            long remaining = deadline - System.nanoTime();
            if (request.maxWait().isZero() || remaining <= 0) {
                if (outcome.round().answered() < quorum) {
                    result.completeExceptionally(RedlockQuorum.noMajority("only " + outcome.round().answered()
                            + " of " + nodes.size() + " Redlock nodes answered, " + quorum + " needed, for lock "
                            + name, outcome.round()));
                } else {
                    result.complete(Optional.empty());
                }
                return;
            }
            long delayMs = backoff.delayMillis(attempts - 1);
            if (outcome.hintMillis() > 0 && outcome.hintMillis() < delayMs) {
                // the holder's lease ends sooner: come back then, with a little jitter against lock-step retries
                delayMs = outcome.hintMillis() + Backoff.jitter(outcome.hintMillis() / 10 + 2);
            }
            long delayNanos = Math.min(TimeUnit.MILLISECONDS.toNanos(delayMs), remaining);
            try {
                timer = scheduler().schedule(this::run, delayNanos, TimeUnit.NANOSECONDS);
            } catch (RuntimeException closed) {
                result.completeExceptionally(new io.latchkey.core.LatchkeyClosedException("Latchkey is closed", closed));
            }
        }
    }

    /** One attempt: the acquire round, then (with a valid majority) the fencing round. */
    private CompletableFuture<Attempt> attemptOnce(String owner, long leaseMs) {
        long sent = System.nanoTime(); // before the first request: the validity is measured from here
        long leaseNanos = TimeUnit.MILLISECONDS.toNanos(leaseMs);
        long drift = driftNanos(leaseNanos);
        return round(RedlockRound.Operation.ACQUIRE, sent, n -> n.acquire(owner, leaseMs)).thenCompose(acq -> {
            long validity = RedlockQuorum.validityNanos(acq.nodes(), quorum, System.nanoTime() - sent, drift);
            if (RedlockQuorum.count(acq.nodes(), Status.ACQUIRED) < quorum || validity <= 0) {
                return CompletableFuture.completedFuture(failedAttempt(owner, acq, acq, sent + leaseNanos));
            }
            long token = RedlockQuorum.quorumToken(acq.nodes());
            // Only to the granting nodes: a node that failed phase one would make the whole write-back wait out
            // the per-node timeout again, and its word is not needed for the fencing majority.
            return round(RedlockRound.Operation.FENCE, System.nanoTime(), n ->
                    acq.nodes().get(n.index).status() != Status.ACQUIRED
                            ? CompletableFuture.completedFuture(RedlockNodeOutcome.notSent(n.index))
                            : n.fence(owner, token, leaseMs)).thenApply(fence -> {
                long elapsed = System.nanoTime() - sent;
                long left = RedlockQuorum.validityNanos(acq.nodes(), quorum, elapsed, drift);
                if (fence.count(Status.FENCED) < quorum || left <= 0) {
                    return failedAttempt(owner, fence, acq, sent + leaseNanos);
                }
                RedlockRound acquisition = new RedlockRound(acq.operation(), acq.nodes(), quorum, true,
                        acq.elapsed());
                RedlockRound fencing = new RedlockRound(fence.operation(), fence.nodes(), quorum, true,
                        fence.elapsed());
                long deadline = sent + RedlockQuorum.quorumGrantNanos(acq.nodes(), quorum) - drift;
                long[] nodeTokens = new long[nodes.size()];
                for (RedlockNodeOutcome o : acq.nodes()) {
                    if (o.status() == Status.ACQUIRED) {
                        nodeTokens[o.node()] = o.fencingToken();
                    }
                }
                metrics.quorumAchieved(left);
                return new Attempt(new QuorumLockLease(this, owner, token, nodeTokens, deadline,
                        sent + leaseNanos, acquisition, fencing, Duration.ofNanos(left)), acquisition, 0);
            });
        });
    }

    private Attempt failedAttempt(String owner, RedlockRound failed, RedlockRound acq, long leaseEndNanos) {
        metrics.quorumFailed();
        // Release wherever our grant may exist: granted, timed out (may still land), even fenced-but-too-late.
        for (RedlockNode n : nodes) {
            if (acq.nodes().get(n.index).status() != Status.HELD) {
                n.releaseEventually(owner, leaseEndNanos);
            }
        }
        return new Attempt(null, failed, RedlockQuorum.retryHintMillis(acq.nodes(), quorum));
    }

    // --- shared by leases

    /** Sends {@code request} to every node in parallel; completes (normally) when every node answered or timed out. */
    CompletableFuture<RedlockRound> round(RedlockRound.Operation op, long sent,
                                          Function<RedlockNode, CompletableFuture<RedlockNodeOutcome>> request) {
        List<CompletableFuture<RedlockNodeOutcome>> calls = new ArrayList<>(nodes.size());
        for (RedlockNode n : nodes) {
            CompletableFuture<RedlockNodeOutcome> f;
            try {
                f = request.apply(n);
            } catch (RuntimeException e) {
                f = CompletableFuture.completedFuture(RedlockNodeOutcome.failed(n.index, Status.UNAVAILABLE, 0,
                        e.getMessage()));
            }
            calls.add(f);
        }
        return CompletableFuture.allOf(calls.toArray(new CompletableFuture<?>[0])).thenApply(v -> {
            List<RedlockNodeOutcome> outcomes = new ArrayList<>(calls.size());
            for (CompletableFuture<RedlockNodeOutcome> c : calls) {
                outcomes.add(c.join());
            }
            boolean reached = switch (op) {
                case ACQUIRE -> RedlockQuorum.count(outcomes, Status.ACQUIRED) >= quorum;
                case FENCE -> RedlockQuorum.count(outcomes, Status.FENCED) >= quorum;
                case EXTEND -> RedlockQuorum.count(outcomes, Status.EXTENDED) >= quorum;
                case RELEASE, INSPECT, FORCE_RELEASE -> RedlockQuorum.answered(outcomes) >= quorum;
            };
            RedlockRound r = new RedlockRound(op, outcomes, quorum, reached,
                    Duration.ofNanos(System.nanoTime() - sent));
            metrics.round(r);
            return r;
        });
    }

    ScheduledExecutorService scheduler() {
        for (RedlockNode n : nodes) {
            if (!n.latchkey.isClosed()) {
                return Internals.of(n.latchkey).scheduler();
            }
        }
        return Internals.of(nodes.get(0).latchkey).scheduler(); // closed: scheduling fails, callers handle it
    }

    List<RedlockNode> nodes() {
        return nodes;
    }

    int quorumSize() {
        return quorum;
    }

    /** The drift margin of a lease of {@code leaseNanos}, from the lock's options. */
    long driftNanos(long leaseNanos) {
        return LeaseClock.driftNanos(leaseNanos, options.driftFactor(), options.driftMinimum());
    }

    RedlockMetrics metrics() {
        return metrics;
    }

    <T> T await(CompletableFuture<T> f) {
        return Internals.of(nodes.get(0).latchkey).redis().await(f);
    }

    // --- observation and administration

    @Override
    public boolean isLocked() {
        return holder().isPresent();
    }

    /** The owner holding the lock on a majority: its largest node token and the time a majority still holds it. */
    @Override
    public Optional<LockHolder> holder() {
        List<CompletableFuture<RedlockNode.Holder>> calls = new ArrayList<>();
        for (RedlockNode n : nodes) {
            calls.add(n.holder());
        }
        long sent = System.nanoTime();
        await(CompletableFuture.allOf(calls.toArray(new CompletableFuture<?>[0])));
        List<RedlockNodeOutcome> outcomes = new ArrayList<>();
        Map<String, List<RedlockNodeOutcome>> byOwner = new HashMap<>();
        for (CompletableFuture<RedlockNode.Holder> c : calls) {
            RedlockNode.Holder h = c.join();
            outcomes.add(h.outcome());
            if (h.owner() != null) {
                byOwner.computeIfAbsent(h.owner(), k -> new ArrayList<>()).add(h.outcome());
            }
        }
        for (Map.Entry<String, List<RedlockNodeOutcome>> e : byOwner.entrySet()) {
            if (e.getValue().size() >= quorum) {
                long token = e.getValue().stream().mapToLong(RedlockNodeOutcome::fencingToken).max().orElse(0);
                long[] ttl = e.getValue().stream().mapToLong(o -> o.ttl().toMillis()).sorted().toArray();
                return Optional.of(new LockHolder(e.getKey(), token, Duration.ofMillis(ttl[ttl.length - quorum])));
            }
        }
        if (RedlockQuorum.answered(outcomes) < quorum) {
            throw RedlockQuorum.noMajority("only " + RedlockQuorum.answered(outcomes) + " of " + nodes.size()
                    + " Redlock nodes answered, " + quorum + " needed, for lock " + name,
                    new RedlockRound(RedlockRound.Operation.INSPECT, outcomes, quorum, false,
                            Duration.ofNanos(System.nanoTime() - sent)));
        }
        return Optional.empty();
    }

    /** Deletes the lock on every node; true if any node held it. Throws if fewer than a majority answered. */
    @Override
    public boolean forceRelease() {
        RedlockRound r = await(round(RedlockRound.Operation.FORCE_RELEASE, System.nanoTime(), RedlockNode::forceRelease));
        if (!r.quorumReached()) {
            throw RedlockQuorum.noMajority("only " + r.answered() + " of " + nodes.size()
                    + " Redlock nodes answered a force-release, " + quorum + " needed, for lock " + name, r);
        }
        return r.count(Status.RELEASED) > 0;
    }

    @Override
    public String toString() {
        return "RedlockLock[" + name + ", " + nodes.size() + " nodes]";
    }
}
