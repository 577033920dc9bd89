/** Rate limiters: fixed window, sliding log, sliding window, token bucket on Redis, built on {@code io.latchkey.core}. */
module io.latchkey.ratelimit {
    requires transitive io.latchkey.core;

    exports io.latchkey.ratelimit;
    // the Lua scripts are resources of this package; core's LuaScript reads them
    opens io.latchkey.ratelimit to io.latchkey.core;
}
