/** Deduplication and idempotent execution on Redis, built on {@code io.latchkey.core}. */
module io.latchkey.dedup {
    requires transitive io.latchkey.core;

    exports io.latchkey.dedup;
    // the Lua scripts are resources of this package; core's LuaScript reads them
    opens io.latchkey.dedup to io.latchkey.core;
}
