/**
 * Latchkey's core: the {@link io.latchkey.core.Latchkey} client, its exceptions and failure policy. The shared
 * mechanism of the primitives ({@code io.latchkey.core.spi}) is exported only to Latchkey's own modules.
 */
// "module": io.latchkey.spring may be absent from the build. The automatic-module warnings: Lettuce and Micrometer
// are automatic modules with stable names from their manifests (Automatic-Module-Name), not jar-file-derived ones,
// and their types are in our signatures (ClientResources, MeterRegistry), hence transitive.
@SuppressWarnings({"module", "requires-automatic", "requires-transitive-automatic"})
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
