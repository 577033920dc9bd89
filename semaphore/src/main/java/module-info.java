/** Counting semaphores with expiring permits on Redis, built on {@code io.latchkey.core}. */
module io.latchkey.semaphore {
    requires transitive io.latchkey.core;

    exports io.latchkey.semaphore;
    // the Lua scripts are resources of this package; core's LuaScript reads them
    opens io.latchkey.semaphore to io.latchkey.core;
}
