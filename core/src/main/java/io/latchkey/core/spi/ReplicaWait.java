package io.latchkey.core.spi;

import io.latchkey.core.Latchkey;
import io.latchkey.core.LatchkeyUnavailableException;
import io.latchkey.core.Replication;
import io.latchkey.core.UnreplicatedGrant;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The replication check every lease-granting primitive offers (lock and semaphore options {@code replicas(n,
 * timeout)}): after a grant, {@link RedisExecutor#awaitReplicas WAIT} on the same connection; a grant that did not
 * reach the replicas is released and refused, or handed out saying so ({@link UnreplicatedGrant}). A WAIT that
 * fails (connection lost) always refuses: the grant's fate is unknown.
 */
public final class ReplicaWait {

    private final Latchkey latchkey;
    private final String what;
    private final int replicas;
    private final Duration timeout;
    private final UnreplicatedGrant policy;
    private final String barrier;

    private ReplicaWait(Latchkey latchkey, String what, int replicas, Duration timeout, UnreplicatedGrant policy,
                        String barrier) {
        this.latchkey = latchkey;
        this.what = what;
        this.replicas = replicas;
        this.timeout = timeout;
        this.policy = policy;
        this.barrier = barrier;
    }

    /**
     * The check for one primitive; {@code replicas == 0} turns it off.
     *
     * @param what    names the primitive in errors, e.g. {@code "lock order:42"}
     * @param barrier a channel of the primitive's own (nobody listens) for the pipelined barrier PUBLISH
     * @throws IllegalArgumentException on a Redis Cluster client, or when {@code timeout} is not shorter than the
     *                                  client's command timeout (the WAIT itself would time out)
     */
    public static ReplicaWait of(Latchkey latchkey, String what, int replicas, Duration timeout,
                                 UnreplicatedGrant policy, String barrier) {
        Objects.requireNonNull(policy, "policy");
        if (replicas > 0) {
            if (latchkey.isCluster()) {
                throw new IllegalArgumentException("options.replicas: WAIT after a grant needs a standalone or"
                        + " Sentinel client; a Redis Cluster client routes it to an arbitrary node");
            }
            if (timeout.compareTo(latchkey.commandTimeout()) >= 0) {
                throw new IllegalArgumentException("options.replicas timeout " + timeout
                        + " must be shorter than the client's commandTimeout " + latchkey.commandTimeout());
            }
        }
        return new ReplicaWait(latchkey, what, replicas, timeout, policy, barrier);
    }

    /** Whether grants are checked at all. */
    public boolean enabled() {
        return replicas > 0;
    }

    /**
     * {@code wait} followed by the check on an acquired lease: {@code record} stores the answer on the lease before
     * anyone sees it, {@code unreplicated} counts a grant that missed, {@code abandon} releases a refused or
     * cancelled one. Returns {@code wait} itself when the check is off.
     */
    public <L> CompletableFuture<Optional<L>> after(CompletableFuture<Optional<L>> wait,
                                                    BiConsumer<? super L, Replication> record, Runnable unreplicated,
                                                    Consumer<? super L> abandon) {
        if (!enabled()) {
            return wait;
        }
        return Acquisitions.afterGrant(wait, lease -> Internals.of(latchkey).redis().awaitReplicas(barrier, replicas, timeout)
                .handle((answer, failure) -> {
                    Replication r = failure == null ? answer : Replication.of(replicas, 0, false);
                    record.accept(lease, r);
                    if (r.reached()) {
                        return lease;
                    }
                    unreplicated.run();
                    if (failure == null && policy == UnreplicatedGrant.ACCEPT) {
                        return lease;
                    }
                    abandon.accept(lease);
                    throw new LatchkeyUnavailableException(what + ": the grant reached " + r.acknowledged() + " of "
                            + r.requested() + " replicas within " + timeout + "; released it", failure);
                }), abandon);
    }
}
