package io.latchkey.apiguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.testing.EmbeddedRedis;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The tests of every module run on the class path; this one proves the published modules work on the module path:
 * they resolve with their dependencies (Lettuce, Micrometer, JUnit, embedded-redis), the spi package is readable by
 * Latchkey's modules and by nobody else, and a lock taken through the module layer really runs its scripts.
 */
class ModulePathTest {

    private static ModuleLayer layer() {
        ModuleFinder finder = ModuleFinder.of(PublishedModules.modulePath().toArray(Path[]::new));
        Configuration cf = ModuleLayer.boot().configuration().resolve(finder, ModuleFinder.of(), PublishedModules.NAMES);
        return ModuleLayer.boot().defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());
    }

    @Test
    void everyPublishedModuleResolves() {
        ModuleLayer layer = layer();
        for (String name : PublishedModules.NAMES) {
            assertTrue(layer.findModule(name).isPresent(), name);
        }
        Module core = layer.findModule("io.latchkey.core").orElseThrow();
        assertTrue(core.isExported("io.latchkey.core"));
        assertFalse(core.isExported("io.latchkey.core.spi"), "the spi is not exported to everyone");
        assertFalse(core.isExported("io.latchkey.core.spi", getClass().getModule()), "not to applications either");
        for (String module : new String[] {"io.latchkey.lock", "io.latchkey.ratelimit", "io.latchkey.dedup",
                "io.latchkey.semaphore", "io.latchkey.annotations"}) {
            assertTrue(core.isExported("io.latchkey.core.spi", layer.findModule(module).orElseThrow()), module);
        }
    }

    @Test
    void aLockWorksOnTheModulePath() throws Exception {
        ModuleLayer layer = layer();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // Lettuce loads some classes through the context loader: the layer's, not this class path's second copy
        thread.setContextClassLoader(layer.findLoader("io.latchkey.core"));
        try (EmbeddedRedis redis = EmbeddedRedis.start()) {
            Class<?> latchkeyType = layer.findLoader("io.latchkey.core").loadClass("io.latchkey.core.Latchkey");
            assertEquals("io.latchkey.core", latchkeyType.getModule().getName());
            AutoCloseable latchkey = (AutoCloseable) latchkeyType.getMethod("connect", String.class)
                    .invoke(null, redis.uri());
            try (latchkey) {
                Class<?> locks = layer.findLoader("io.latchkey.lock").loadClass("io.latchkey.lock.Locks");
                Object factory = locks.getMethod("of", latchkeyType).invoke(null, latchkey);
                Object lock = factory.getClass().getMethod("lock", String.class).invoke(factory, "module-path");
                Method tryAcquire = publicMethod(lock.getClass(), "tryAcquire", Duration.class);
                Optional<?> lease = (Optional<?>) tryAcquire.invoke(lock, Duration.ofSeconds(5));
                assertTrue(lease.isPresent(), "the lock module ran its script through core's spi");
                assertEquals(Optional.empty(), tryAcquire.invoke(lock, Duration.ofSeconds(5)), "and it excludes");
                ((AutoCloseable) lease.get()).close();
            }
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** The method as declared by a public interface, so reflection may call it on a package-private class. */
    private static Method publicMethod(Class<?> type, String name, Class<?>... params) throws NoSuchMethodException {
        for (Class<?> i : type.getInterfaces()) {
            try {
                return i.getMethod(name, params);
            } catch (NoSuchMethodException e) {
                // try the next one
            }
        }
        throw new NoSuchMethodException(type + "." + name);
    }
}
