/** Rate limiters: fixed window, sliding log, sliding window, token bucket on Redis, built on {@code io.latchkey.core}. */
module io.latchkey.ratelimit {
    requires transitive io.latchkey.core;

    exports io.latchkey.ratelimit;
}
