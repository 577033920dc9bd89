/** Deduplication and idempotent execution on Redis, built on {@code io.latchkey.core}. */
module io.latchkey.dedup {
    requires transitive io.latchkey.core;

    exports io.latchkey.dedup;
}
