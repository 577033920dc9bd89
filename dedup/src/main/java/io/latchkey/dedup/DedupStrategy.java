package io.latchkey.dedup;

/** How a {@link Deduplicator} stores the ids it has seen. See docs/dedup.md for the measured trade-offs. */
public enum DedupStrategy {
    /**
     * Time-bucketed hashes (the SADD pattern made replay-safe): a fixed ring of bucket keys per deduplicator, each
     * expiring on its own. Less memory per id and a batch is always one script; an id stays "seen" for between
     * {@code ttl} and {@code ttl + bucket width}. The default.
     */
    WINDOWED,
    /**
     * One {@code SET NX PX} key per id: an exact TTL per id, more memory per id; ids spread over cluster slots, so
     * a batch is one script per hash slot, all pipelined in one round trip.
     */
    EXACT
}
