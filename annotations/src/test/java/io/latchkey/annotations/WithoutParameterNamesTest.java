package io.latchkey.annotations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.Latchkey;
import io.latchkey.testing.RedisTest;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build compiles with {@code -parameters}; user code may not. This compiles a service interface without it and
 * shows that {@link Key} names and indexes work, and that a bare parameter name fails at proxy creation.
 */
@RedisTest
class WithoutParameterNamesTest {

    private static final String SHIPPING = """
            package gen;
            import io.latchkey.annotations.*;
            public interface Shipping {
                @DistributedLock(name = "ship:{orderId}:{1}")
                String ship(@Key("orderId") String orderId, String warehouse);
            }
            """;

    private static final String BARE = """
            package gen;
            import io.latchkey.annotations.*;
            public interface Bare {
                @DistributedLock(name = "ship:{orderId}")
                String ship(String orderId);
            }
            """;

    private static ClassLoader compile(Path dir) throws Exception {
        Path src = Files.createDirectories(dir.resolve("src/gen"));
        Files.writeString(src.resolve("Shipping.java"), SHIPPING);
        Files.writeString(src.resolve("Bare.java"), BARE);
        Path out = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "tests run on a JDK");
        int rc = javac.run(null, null, null, "-classpath", System.getProperty("java.class.path"), "-d",
                out.toString(), src.resolve("Shipping.java").toString(), src.resolve("Bare.java").toString());
        assertEquals(0, rc, "javac");
        return new URLClassLoader(new URL[] {out.toUri().toURL()}, WithoutParameterNamesTest.class.getClassLoader());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    @Test
    void keyNamesAndIndexesWorkWithoutCompiledParameterNames(Latchkey latchkey, @TempDir Path dir) throws Exception {
        ClassLoader loader = compile(dir);
        Class shipping = loader.loadClass("gen.Shipping");
        Method ship = shipping.getMethod("ship", String.class, String.class);
        assertFalse(ship.getParameters()[1].isNamePresent(), "compiled without -parameters");

        Object target = Proxy.newProxyInstance(loader, new Class<?>[] {shipping},
                (p, m, a) -> m.getName().equals("ship") ? "shipped " + a[0] + " from " + a[1] : null);
        List<String> names = new CopyOnWriteArrayList<>();
        LatchkeyProxies proxies = LatchkeyProxies.builder(latchkey)
                .listener((method, annotation, name) -> names.add(String.valueOf(name))).build();
        Object service = proxies.proxy(shipping, target);
        assertEquals("shipped 42 from w1", ship.invoke(service, "42", "w1"));
        assertEquals(List.of("ship:42:w1", "null"), names);

        Class bare = loader.loadClass("gen.Bare");
        Object bareTarget = Proxy.newProxyInstance(loader, new Class<?>[] {bare}, (p, m, a) -> null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> proxies.proxy(bare, bareTarget));
        assertTrue(e.getMessage().contains("Bare.ship(String)"), e.getMessage());
        assertTrue(e.getMessage().contains("unknown parameter \"orderId\""), e.getMessage());
        assertTrue(e.getMessage().contains("-parameters"), e.getMessage());
    }
}
