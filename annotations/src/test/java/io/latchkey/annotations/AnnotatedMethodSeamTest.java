package io.latchkey.annotations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.Latchkey;
import io.latchkey.lock.Locks;
import io.latchkey.testing.RedisTest;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The seam a framework interceptor uses: {@link LatchkeyProxies#plan(Class, Method)} on an ordinary class (no
 * interface, as with CGLIB), {@link AnnotatedMethod#invoke}, and the two builder hooks.
 */
@RedisTest
class AnnotatedMethodSeamTest {

    /** A plain class, as a CGLIB-proxied Spring bean would be. */
    static class Shipping {
        final AtomicInteger runs = new AtomicInteger();

        @DistributedLock(name = "seam-ship:{orderId}", lease = "10s")
        public String ship(@Key("orderId") String orderId, CountDownLatch entered, CountDownLatch release)
                throws InterruptedException {
            runs.incrementAndGet();
            entered.countDown();
            release.await(10, TimeUnit.SECONDS);
            return "shipped " + orderId;
        }

        @RateLimited(name = "seam-quote", key = "{0}", limits = @Limit(permits = 2, window = "1h"))
        public String quote(String customer) {
            runs.incrementAndGet();
            return "quote for " + customer;
        }

        @DistributedLock(name = "seam-fenced")
        public long fenced(@FencingToken long token) {
            return token;
        }

        @DistributedLock(name = "seam-async:{0}", lease = "10s")
        public CompletableFuture<String> later(String job, CompletableFuture<String> work) {
            return work;
        }

        public String plain() {
            return "plain";
        }

        @DistributedLock(name = "bad", lease = "thirty seconds")
        public void badLease() {
        }
    }

    interface Jobs {
        @DistributedLock(name = "seam-iface:{0}")
        String onInterface(String job);

        @DistributedLock(name = "seam-iface-ignored:{0}")
        String onBoth(String job);
    }

    /** Annotations on the class method win; the interface method's apply when the class method has none. */
    static class JobsImpl implements Jobs {
        final List<String> lockedInside = new CopyOnWriteArrayList<>();
        Latchkey latchkey;

        @Override
        public String onInterface(String job) {
            lockedInside.add("iface=" + Locks.of(latchkey).lock("seam-iface:" + job).isLocked());
            return job;
        }

        @Override
        @DistributedLock(name = "seam-class:{0}")
        public String onBoth(String job) {
            lockedInside.add("class=" + Locks.of(latchkey).lock("seam-class:" + job).isLocked()
                    + " ignored=" + Locks.of(latchkey).lock("seam-iface-ignored:" + job).isLocked());
            return job;
        }
    }

    private static Method method(Class<?> type, String name) {
        for (Method m : type.getMethods()) {
            if (m.getName().equals(name)) {
                return m;
            }
        }
        throw new AssertionError(name);
    }

    /** What a framework passes as {@code proceed}: call the target with the given arguments. */
    private static Invocation call(Object target, Method m) {
        return args -> {
            try {
                return m.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
    }

    @Test
    void aPlainClassMethodRunsUnderItsLock(Latchkey latchkey) throws Exception {
        Shipping target = new Shipping();
        Method ship = method(Shipping.class, "ship");
        AnnotatedMethod plan = LatchkeyProxies.of(latchkey).plan(Shipping.class, ship).orElseThrow();
        assertEquals(ship, plan.method());
        assertEquals("Shipping.ship(String, CountDownLatch, CountDownLatch)", plan.description());

        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Object> first = CompletableFuture.supplyAsync(() -> {
            try {
                return plan.invoke(new Object[] {"42", entered, release}, call(target, ship));
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        });
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        assertTrue(Locks.of(latchkey).lock("seam-ship:42").isLocked(), "held while proceed runs");
        // a second call for the same order is refused while the first holds the lock; proceed never runs
        LockNotAcquiredException e = assertThrows(LockNotAcquiredException.class, () -> plan.invoke(
                new Object[] {"42", new CountDownLatch(1), new CountDownLatch(0)}, call(target, ship)));
        assertEquals("seam-ship:42", e.name());
        assertEquals(1, target.runs.get());
        release.countDown();
        assertEquals("shipped 42", first.get(10, TimeUnit.SECONDS));
        assertFalse(Locks.of(latchkey).lock("seam-ship:42").isLocked(), "released after proceed returned");
    }

    @Test
    void stepsOtherThanLocksWorkThroughTheSeamToo(Latchkey latchkey) throws Throwable {
        Shipping target = new Shipping();
        Method quote = method(Shipping.class, "quote");
        AnnotatedMethod plan = LatchkeyProxies.of(latchkey).plan(Shipping.class, quote).orElseThrow();
        assertEquals("quote for acme", plan.invoke(new Object[] {"acme"}, call(target, quote)));
        assertEquals("quote for acme", plan.invoke(new Object[] {"acme"}, call(target, quote)));
        assertThrows(RateLimitExceededException.class, () -> plan.invoke(new Object[] {"acme"}, call(target, quote)));
        assertEquals(2, target.runs.get());
    }

    @Test
    void theFencingTokenIsWrittenIntoTheArgumentsGivenToProceed(Latchkey latchkey) throws Throwable {
        Shipping target = new Shipping();
        Method fenced = method(Shipping.class, "fenced");
        AnnotatedMethod plan = LatchkeyProxies.of(latchkey).plan(Shipping.class, fenced).orElseThrow();
        Object[] args = {0L};
        long token = (long) plan.invoke(args, call(target, fenced));
        assertTrue(token > 0, "token " + token);
        assertEquals(token, args[0], "the caller's array carries the token, for proceed() of a framework");
    }

    @Test
    void aFutureMethodHoldsItsLockUntilTheFutureCompletes(Latchkey latchkey) throws Throwable {
        Shipping target = new Shipping();
        Method later = method(Shipping.class, "later");
        AnnotatedMethod plan = LatchkeyProxies.of(latchkey).plan(Shipping.class, later).orElseThrow();
        CompletableFuture<String> work = new CompletableFuture<>();
        @SuppressWarnings("unchecked")
        CompletableFuture<Object> out = (CompletableFuture<Object>) plan.invoke(new Object[] {"j", work},
                call(target, later));
        var lock = Locks.of(latchkey).lock("seam-async:j");
        org.awaitility.Awaitility.await().until(lock::isLocked);
        assertFalse(out.isDone());
        work.complete("done");
        assertEquals("done", out.get(10, TimeUnit.SECONDS));
        assertFalse(lock.isLocked());
    }

    @Test
    void aMethodWithoutAnnotationsHasNoPlan(Latchkey latchkey) {
        assertEquals(Optional.empty(), LatchkeyProxies.of(latchkey).plan(Shipping.class, method(Shipping.class,
                "plain")));
        assertEquals(Optional.empty(), LatchkeyProxies.of(latchkey).plan(Shipping.class, method(Object.class,
                "toString")));
    }

    @Test
    void anInvalidAnnotationFailsPlanningNamingClassMethodAndAttribute(Latchkey latchkey) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LatchkeyProxies.of(latchkey).plan(Shipping.class, method(Shipping.class, "badLease")));
        assertTrue(e.getMessage().contains("Shipping.badLease()"), e.getMessage());
        assertTrue(e.getMessage().contains("@DistributedLock(lease)"), e.getMessage());
    }

    @Test
    void aMethodOfAnotherClassIsRejected(Latchkey latchkey) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LatchkeyProxies.of(latchkey).plan(JobsImpl.class, method(Shipping.class, "quote")));
        assertTrue(e.getMessage().contains("JobsImpl"), e.getMessage());
    }

    @Test
    void classAnnotationsWinAndInterfaceAnnotationsApplyWhenTheClassHasNone(Latchkey latchkey) throws Throwable {
        JobsImpl target = new JobsImpl();
        target.latchkey = latchkey;
        LatchkeyProxies proxies = LatchkeyProxies.of(latchkey);
        // planned from the class method (as CGLIB / Spring pass it) and from the interface method alike
        for (Method m : List.of(JobsImpl.class.getMethod("onInterface", String.class),
                Jobs.class.getMethod("onInterface", String.class))) {
            AnnotatedMethod plan = proxies.plan(JobsImpl.class, m).orElseThrow();
            assertEquals(Jobs.class.getMethod("onInterface", String.class), plan.method());
            plan.invoke(new Object[] {"a"}, call(target, m));
        }
        AnnotatedMethod both = proxies.plan(JobsImpl.class, Jobs.class.getMethod("onBoth", String.class))
                .orElseThrow();
        assertEquals(JobsImpl.class, both.method().getDeclaringClass());
        both.invoke(new Object[] {"b"}, call(target, JobsImpl.class.getMethod("onBoth", String.class)));
        assertEquals(List.of("iface=true", "iface=true", "class=true ignored=false"), target.lockedInside);

        // the JDK proxy follows the same rule: the implementation's annotation applies
        target.lockedInside.clear();
        proxies.proxy(Jobs.class, target).onBoth("c");
        assertEquals(List.of("class=true ignored=false"), target.lockedInside);
    }

    /** A key-expression hook in the style of SpEL: {@code #name} is the parameter called name. */
    static final class HashParameters implements KeyExpressionResolver {
        final List<String> asked = new CopyOnWriteArrayList<>();

        @Override
        public Optional<java.util.function.Function<Object[], String>> compile(Method method, String expression) {
            asked.add(method.getName() + " " + expression);
            if (!expression.startsWith("#")) {
                return Optional.empty();
            }
            String name = expression.substring(1);
            if (name.equals("broken")) {
                throw new IllegalArgumentException("cannot parse #broken");
            }
            for (int i = 0; i < method.getParameterCount(); i++) {
                if (method.getParameters()[i].getName().equals(name)) {
                    int index = i;
                    return Optional.of(args -> args[index] == null ? null : "expr-" + args[index]);
                }
            }
            throw new IllegalArgumentException("no parameter " + name);
        }
    }

    static class Expressions {
        @DistributedLock(name = "#customer", lease = "10s")
        public String byExpression(String customer, Runnable inside) {
            inside.run();
            return customer;
        }

        @DistributedLock(name = "tmpl:{customer}", lease = "10s")
        public String byTemplate(String customer, Runnable inside) {
            inside.run();
            return customer;
        }

        @Deduplicated(key = "#broken")
        public void broken(String customer) {
        }
    }

    @Test
    void theKeyExpressionHookCompilesKeysAndMayDecline(Latchkey latchkey) throws Throwable {
        HashParameters hook = new HashParameters();
        LatchkeyProxies proxies = LatchkeyProxies.builder(latchkey).keyExpressions(hook).build();
        Expressions target = new Expressions();
        List<Boolean> held = new CopyOnWriteArrayList<>();

        Method byExpression = method(Expressions.class, "byExpression");
        AnnotatedMethod expr = proxies.plan(Expressions.class, byExpression).orElseThrow();
        expr.invoke(new Object[] {"acme", (Runnable) () -> held.add(Locks.of(latchkey).lock("expr-acme").isLocked())},
                call(target, byExpression));

        Method byTemplate = method(Expressions.class, "byTemplate");
        AnnotatedMethod tmpl = proxies.plan(Expressions.class, byTemplate).orElseThrow();
        tmpl.invoke(new Object[] {"acme", (Runnable) () -> held.add(Locks.of(latchkey).lock("tmpl:acme").isLocked())},
                call(target, byTemplate));

        assertEquals(List.of(true, true), held);
        assertTrue(hook.asked.containsAll(List.of("byExpression #customer", "byTemplate tmpl:{customer}")),
                hook.asked.toString());
        assertFalse(Locks.of(latchkey).lock("expr-acme").isLocked());

        // a null value fails before any Redis call, naming the method and attribute
        NullPointerException npe = assertThrows(NullPointerException.class, () -> expr.invoke(
                new Object[] {null, (Runnable) () -> { }}, call(target, byExpression)));
        assertTrue(npe.getMessage().contains("Expressions.byExpression(String, Runnable): @DistributedLock(name)"),
                npe.getMessage());

        // an invalid expression fails planning
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> proxies.plan(Expressions.class, method(Expressions.class, "broken")));
        assertTrue(e.getMessage().contains("Expressions.broken(String): @Deduplicated(key) \"#broken\""),
                e.getMessage());
        assertTrue(e.getMessage().contains("cannot parse #broken"), e.getMessage());
    }

    static class Placeholders {
        @DistributedLock(name = "${prefix}:{0}", lease = "${lease}", maxWait = "${wait}")
        public String run(String id, Runnable inside) {
            inside.run();
            return id;
        }

        @RateLimited(name = "${limiter}", limits = @Limit(permits = 1, window = "${window}"))
        public String limited() {
            return "ok";
        }

        @ConcurrencyLimited(permits = 1, lease = "${missing}")
        public void unresolvable() {
        }
    }

    /** Resolves {@code ${name}} from a map, like Spring's placeholder resolution; unknown names throw. */
    private static String resolve(String text, Map<String, String> values) {
        var m = java.util.regex.Pattern.compile("\\$\\{([^}]+)}").matcher(text);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String v = values.get(m.group(1));
            if (v == null) {
                throw new IllegalArgumentException("Could not resolve placeholder '" + m.group(1) + "'");
            }
            m.appendReplacement(b, java.util.regex.Matcher.quoteReplacement(v));
        }
        return m.appendTail(b).toString();
    }

    @Test
    void theAttributeResolverRunsBeforeParsing(Latchkey latchkey) throws Throwable {
        Map<String, String> values = Map.of("prefix", "ph-orders", "lease", "10s", "wait", "0s",
                "limiter", "ph-limiter", "window", "1h");
        List<String> seen = new CopyOnWriteArrayList<>();
        LatchkeyProxies proxies = LatchkeyProxies.builder(latchkey).attributeResolver(t -> {
            seen.add(t);
            return resolve(t, values);
        }).build();
        Placeholders target = new Placeholders();

        Method run = method(Placeholders.class, "run");
        AnnotatedMethod plan = proxies.plan(Placeholders.class, run).orElseThrow();
        List<Boolean> held = new CopyOnWriteArrayList<>();
        plan.invoke(new Object[] {"7", (Runnable) () -> held.add(Locks.of(latchkey).lock("ph-orders:7").isLocked())},
                call(target, run));
        assertEquals(List.of(true), held);
        assertTrue(seen.containsAll(List.of("${prefix}:{0}", "${lease}", "${wait}")), seen.toString());

        Method limited = method(Placeholders.class, "limited");
        AnnotatedMethod rl = proxies.plan(Placeholders.class, limited).orElseThrow();
        assertEquals("ok", rl.invoke(null, call(target, limited)));
        RateLimitExceededException denied = assertThrows(RateLimitExceededException.class,
                () -> rl.invoke(null, call(target, limited)));
        assertEquals("ph-limiter", denied.name(), "the limiter name came from the placeholder");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> proxies.plan(Placeholders.class, method(Placeholders.class, "unresolvable")));
        assertTrue(e.getMessage().contains("Placeholders.unresolvable(): @ConcurrencyLimited(lease) \"${missing}\""),
                e.getMessage());
        assertTrue(e.getMessage().contains("Could not resolve placeholder 'missing'"), e.getMessage());
    }

    @Test
    void planningTwiceSharesTheNamedPrimitives(Latchkey latchkey) throws Throwable {
        LatchkeyProxies proxies = LatchkeyProxies.of(latchkey);
        Method quote = method(Shipping.class, "quote");
        AnnotatedMethod a = proxies.plan(Shipping.class, quote).orElseThrow();
        AnnotatedMethod b = proxies.plan(Shipping.class, quote).orElseThrow();
        Shipping target = new Shipping();
        a.invoke(new Object[] {"shared"}, call(target, quote));
        b.invoke(new Object[] {"shared"}, call(target, quote));
        assertThrows(RateLimitExceededException.class, () -> a.invoke(new Object[] {"shared"}, call(target, quote)));
        assertSame(Shipping.class, a.method().getDeclaringClass());
    }
}
