/** Locks with fencing tokens and Redlock on Redis, built on {@code io.latchkey.core}. */
module io.latchkey.lock {
    requires transitive io.latchkey.core;

    exports io.latchkey.lock;
}
