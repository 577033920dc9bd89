/** Locks with fencing tokens and Redlock on Redis, built on {@code io.latchkey.core}. */
module io.latchkey.lock {
    requires transitive io.latchkey.core;

    exports io.latchkey.lock;
    exports io.latchkey.lock.redlock;
    // the Lua scripts are resources of this package; core's LuaScript reads them
    opens io.latchkey.lock to io.latchkey.core;
}
