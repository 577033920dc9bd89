/**
 * Coordination annotations on service interfaces, wired by {@link io.latchkey.annotations.LatchkeyProxies}. The
 * proxies read and invoke the user's interface by reflection: a public interface in an exported package needs
 * nothing more; any other must be in a package its module opens to {@code io.latchkey.annotations}.
 */
module io.latchkey.annotations {
    requires transitive io.latchkey.core;
    requires transitive io.latchkey.lock;
    requires transitive io.latchkey.ratelimit;
    requires transitive io.latchkey.dedup;
    requires transitive io.latchkey.semaphore;
    // Mono/Flux return types are supported when Reactor is present; the module works without it
    requires static reactor.core;
    requires static org.reactivestreams;

    exports io.latchkey.annotations;
}
