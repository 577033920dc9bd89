package io.latchkey.annotations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.latchkey.core.Latchkey;
import io.latchkey.lock.Locks;
import io.latchkey.testing.RedisTest;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Reactor is an optional dependency: this module's classes, loaded where Reactor cannot be seen, still plan and run
 * plain and future methods. (Lettuce itself needs Reactor, so the client keeps using the test's own class loader;
 * only this module's view hides it.)
 */
@RedisTest
class WithoutReactorTest {

    /** Loads this module's classes (main and test) itself, and refuses Reactor and Reactive Streams. */
    static final class HidingReactor extends ClassLoader {
        HidingReactor(ClassLoader parent) {
            super(parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                if (name.startsWith("reactor.") || name.startsWith("org.reactivestreams.")) {
                    throw new ClassNotFoundException(name + " is hidden by the test");
                }
                if (!name.startsWith("io.latchkey.annotations.")) {
                    return super.loadClass(name, resolve);
                }
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                        if (in == null) {
                            throw new ClassNotFoundException(name);
                        }
                        byte[] bytes = in.readAllBytes();
                        c = defineClass(name, bytes, 0, bytes.length);
                    } catch (IOException e) {
                        throw new ClassNotFoundException(name, e);
                    }
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }

    public interface Plain {
        @DistributedLock(name = "no-reactor")
        String locked(String value);

        @DistributedLock(name = "no-reactor-async")
        CompletableFuture<String> later(String value);
    }

    /** Runs inside {@link HidingReactor}: every class of this module it touches is the hidden-Reactor copy. */
    public static final class Scenario implements Function<Latchkey, String> {
        @Override
        public String apply(Latchkey latchkey) {
            Plain plain = LatchkeyProxies.of(latchkey).proxy(Plain.class, new Plain() {
                @Override
                public String locked(String value) {
                    return value + " locked=" + Locks.of(latchkey).lock("no-reactor").isLocked();
                }

                @Override
                public CompletableFuture<String> later(String value) {
                    return CompletableFuture.completedFuture(value);
                }
            });
            try {
                return "reactor=" + ReturnKind.reactorAvailable() + " " + plain.locked("a") + " "
                        + plain.later("b").get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void theModuleWorksWhereReactorCannotBeSeen(Latchkey latchkey) throws Exception {
        ClassLoader hiding = new HidingReactor(getClass().getClassLoader());
        assertThrows(ClassNotFoundException.class, () -> Class.forName("reactor.core.publisher.Mono", false, hiding));
        @SuppressWarnings("unchecked")
        Function<Latchkey, String> scenario = (Function<Latchkey, String>) Class.forName(Scenario.class.getName(),
                true, hiding).getConstructor().newInstance();
        assertEquals(hiding, scenario.getClass().getClassLoader());
        assertEquals("reactor=false a locked=true b", scenario.apply(latchkey));
        // and this test's own copy sees Reactor
        assertEquals(true, ReturnKind.reactorAvailable());
    }
}
