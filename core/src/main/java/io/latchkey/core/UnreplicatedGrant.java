package io.latchkey.core;

/**
 * What a lock or semaphore does with a grant that did not reach the replicas it asked for (see {@link Replication}).
 */
public enum UnreplicatedGrant {
    /**
     * Release the grant at once and fail the acquire with a {@link LatchkeyUnavailableException}: the caller never
     * holds a grant a failover could forget. The default.
     */
    REFUSE,
    /** Hand the grant out anyway; its {@code replication()} says it did not reach them. */
    ACCEPT
}
