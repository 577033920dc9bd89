package io.latchkey.core;

/**
 * Whether a grant (a lock lease, a semaphore permit) reached the replicas before it was handed out: the answer of
 * {@code WAIT} (or {@code WAITAOF} on Redis 7.2+ with AOF on) sent right after the grant, when the primitive's
 * options ask for replicas. Immutable.
 *
 * <p>Without the option a grant is {@linkplain #notRequested() not checked}: Redis replicates asynchronously, so
 * a failover can promote a replica that never saw the grant, and a second holder can be granted the same lock.
 */
public final class Replication {

    private static final Replication NOT_REQUESTED = new Replication(0, 0, false);

    private final int requested;
    private final int acknowledged;
    private final boolean durable;

    private Replication(int requested, int acknowledged, boolean durable) {
        this.requested = requested;
        this.acknowledged = acknowledged;
        this.durable = durable;
    }

    /** The answer for a grant whose options asked for no replicas. */
    public static Replication notRequested() {
        return NOT_REQUESTED;
    }

    /**
     * The answer of one wait: {@code acknowledged} of {@code requested} replicas confirmed the grant;
     * {@code durable} when they confirmed it written to their AOF ({@code WAITAOF}), not only received.
     */
    public static Replication of(int requested, int acknowledged, boolean durable) {
        if (requested < 1) {
            throw new IllegalArgumentException("requested must be >= 1: " + requested);
        }
        if (acknowledged < 0) {
            throw new IllegalArgumentException("acknowledged must be >= 0: " + acknowledged);
        }
        return new Replication(requested, acknowledged, durable);
    }

    /** Whether the options asked for replicas at all. */
    public boolean isRequested() {
        return requested > 0;
    }

    /** How many replicas had to confirm the grant (0 when not requested). */
    public int requested() {
        return requested;
    }

    /** How many replicas confirmed it within the timeout (they are counted by Redis, at most the attached ones). */
    public int acknowledged() {
        return acknowledged;
    }

    /** Whether at least {@link #requested()} replicas confirmed the grant; {@code true} when not requested. */
    public boolean reached() {
        return acknowledged >= requested;
    }

    /** Whether the confirmation was {@code WAITAOF}'s (written to the AOF), not {@code WAIT}'s (received). */
    public boolean durable() {
        return durable;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Replication)) {
            return false;
        }
        Replication r = (Replication) o;
        return requested == r.requested && acknowledged == r.acknowledged && durable == r.durable;
    }

    @Override
    public int hashCode() {
        return (requested * 31 + acknowledged) * 31 + (durable ? 1 : 0);
    }

    @Override
    public String toString() {
        return isRequested() ? "Replication[" + acknowledged + "/" + requested + (durable ? " durable" : "") + "]"
                : "Replication[not requested]";
    }
}
