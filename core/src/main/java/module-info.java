/**
 * Latchkey's core: the {@link io.latchkey.core.Latchkey} client, its exceptions and failure policy. The shared
 * mechanism of the primitives ({@code io.latchkey.core.spi}) is exported only to Latchkey's own modules.
 */
@SuppressWarnings({"module", "requires-transitive-automatic"}) // io.latchkey.spring may be absent; Lettuce and
// Micrometer ship automatic modules, and their types are in our signatures (ClientResources, MeterRegistry)
module io.latchkey.core {
    requires transitive lettuce.core;
    requires transitive micrometer.core;
    // Lettuce is an automatic module and cannot name what it needs; without these an application on the module
    // path fails at connect with NoClassDefFoundError: io/netty/util/Timer (ModulePathTest shows it)
    requires io.netty.handler;
    requires io.netty.resolver.dns;

    exports io.latchkey.core;
    exports io.latchkey.core.spi to
            io.latchkey.lock,
            io.latchkey.ratelimit,
            io.latchkey.dedup,
            io.latchkey.semaphore,
            io.latchkey.annotations,
            io.latchkey.spring;
}
