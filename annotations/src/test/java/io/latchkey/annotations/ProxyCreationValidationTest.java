package io.latchkey.annotations;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.Latchkey;
import io.latchkey.testing.RedisTest;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Every mistake in an annotation fails when the proxy is created, with the method and the attribute named. */
@RedisTest
class ProxyCreationValidationTest {

    /** A target for any interface: never called, since creation fails first. */
    @SuppressWarnings("unchecked")
    private static <T> T dummy(Class<T> type) {
        InvocationHandler h = (p, m, a) -> {
            throw new AssertionError("the target must not be called");
        };
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, h);
    }

    private static void rejected(Latchkey latchkey, Class<?> type, String... fragments) {
        rejected(LatchkeyProxies.of(latchkey), type, fragments);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void rejected(LatchkeyProxies proxies, Class<?> type, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> proxies.proxy((Class) type, dummy(type)), type.getSimpleName());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "expected \"" + f + "\" in: " + e.getMessage());
        }
    }

    interface UnclosedTemplate {
        @DistributedLock(name = "order:{orderId")
        void ship(@Key("orderId") String orderId);
    }

    interface UnknownParameter {
        @DistributedLock(name = "order:{orderId}")
        void ship(@Key("id") String id);
    }

    interface BadLease {
        @DistributedLock(name = "order", lease = "30 seconds")
        void ship();
    }

    interface ZeroLease {
        @ConcurrencyLimited(permits = 2, lease = "0s")
        void upload();
    }

    interface NegativeWait {
        @DistributedLock(name = "order", maxWait = "-PT1S")
        void ship();
    }

    interface BadTtl {
        @Deduplicated(key = "{0}", ttl = "forever")
        void consume(String id);
    }

    interface FutureReturn {
        @DistributedLock(name = "x")
        Future<String> run();
    }

    interface IdempotentAndDeduplicated {
        @Idempotent(key = "{0}")
        @Deduplicated(key = "{0}")
        String pay(String id);
    }

    interface SameOrder {
        @ConcurrencyLimited(permits = 1)
        @DistributedLock(name = "x", order = Order.CONCURRENCY)
        void run();
    }

    record Receipt(String id) {
    }

    interface NoCodec {
        @Idempotent(key = "{0}")
        Receipt pay(String id);
    }

    interface RawFuture {
        @SuppressWarnings("rawtypes")
        @Idempotent(key = "{0}")
        CompletableFuture pay(String id);
    }

    interface ConflictingPermits {
        @ConcurrencyLimited(name = "uploads", permits = 2)
        void a();

        @ConcurrencyLimited(name = "uploads", permits = 3)
        void b();
    }

    interface BlankKey {
        @Deduplicated(key = "  ")
        void consume(String id);
    }

    interface ZeroPermits {
        @ConcurrencyLimited(permits = 0)
        void upload();
    }

    interface LiteralBraces {
        @DistributedLock(name = "{{x}}")
        void run();
    }

    interface ShortIdempotencyLease {
        @Idempotent(key = "{0}", lease = "5ms")
        void pay(String id);
    }

    interface IndexOutOfRange {
        @RateLimitFreeLock
        @DistributedLock(name = "job:{2}")
        void run(String a, String b);
    }

    /** Not a coordination annotation: ignored. */
    @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
    @interface RateLimitFreeLock {
    }

    interface Plain {
        void run(String a);
    }

    static class AnnotatedImplementation implements Plain {
        @Override
        @DistributedLock(name = "x", lease = "soon")
        public void run(String a) {
        }
    }

    @Test
    void badTemplatesParametersAndDurationsFailAtProxyCreation(Latchkey latchkey) {
        rejected(latchkey, UnclosedTemplate.class, "UnclosedTemplate.ship(String)", "@DistributedLock(name)",
                "unclosed '{'");
        rejected(latchkey, UnknownParameter.class, "UnknownParameter.ship(String)", "unknown parameter \"orderId\"",
                "@Key");
        rejected(latchkey, BadLease.class, "BadLease.ship()", "@DistributedLock(lease)", "30 seconds");
        rejected(latchkey, ZeroLease.class, "ZeroLease.upload()", "@ConcurrencyLimited(lease)", "positive");
        rejected(latchkey, NegativeWait.class, "@DistributedLock(maxWait)", "negative");
        rejected(latchkey, BadTtl.class, "BadTtl.consume(String)", "@Deduplicated(ttl)", "forever");
        rejected(latchkey, BlankKey.class, "@Deduplicated(key) must not be blank");
        rejected(latchkey, IndexOutOfRange.class, "index 2 out of range", "2 parameter(s)");
        rejected(latchkey, LiteralBraces.class, "must not contain literal braces");
    }

    @Test
    void unsupportedCombinationsAndConfigurationsFailAtProxyCreation(Latchkey latchkey) {
        rejected(latchkey, FutureReturn.class, "FutureReturn.run()", "java.util.concurrent.Future",
                "CompletionStage");
        rejected(latchkey, IdempotentAndDeduplicated.class, "cannot be combined");
        rejected(latchkey, SameOrder.class, "@ConcurrencyLimited and @DistributedLock have the same order 300");
        rejected(latchkey, NoCodec.class, "NoCodec.pay(String)", "no result codec", "resultCodec(Receipt.class");
        rejected(latchkey, RawFuture.class, "type argument");
        rejected(latchkey, ConflictingPermits.class, "@ConcurrencyLimited \"uploads\"", "ConflictingPermits.",
                "one name must have one configuration");
        rejected(latchkey, ZeroPermits.class, "ZeroPermits.upload()", "permits");
        rejected(latchkey, ShortIdempotencyLease.class, "@Idempotent", "at least 10 ms");
    }

    interface UnknownLimiter {
        @RateLimited(name = "nobody")
        void call();
    }

    interface InlineAndRegistered {
        @RateLimited(name = "partner", limits = @Limit(permits = 1, window = "1s"))
        void call();
    }

    interface TooManyPermits {
        @RateLimited(permits = 5, limits = @Limit(permits = 4, window = "1s"))
        void call();
    }

    interface WaitWithoutWait {
        @RateLimited(maxWait = "1s", limits = @Limit(permits = 4, window = "1s"))
        void call();
    }

    interface CapacityOnWindow {
        @RateLimited(limits = @Limit(permits = 4, window = "1s", capacity = 8))
        void call();
    }

    interface BadWindow {
        @RateLimited(limits = @Limit(permits = 4, window = "1 sec"))
        void call();
    }

    interface ZeroLimit {
        @RateLimited(limits = @Limit(permits = 0, window = "1s"))
        void call();
    }

    interface ConflictingLimits {
        @RateLimited(name = "api", limits = @Limit(permits = 4, window = "1s"))
        void a();

        @RateLimited(name = "api", limits = @Limit(permits = 5, window = "1s"))
        void b();
    }

    @Test
    void badRateLimitsFailAtProxyCreation(Latchkey latchkey) {
        LatchkeyProxies proxies = LatchkeyProxies.builder(latchkey)
                .rateLimiter("partner", io.latchkey.ratelimit.RateLimit.fixedWindow(3, java.time.Duration.ofHours(1)))
                .build();
        rejected(proxies, UnknownLimiter.class, "UnknownLimiter.call()", "\"nobody\"", "registered: [partner]");
        rejected(proxies, InlineAndRegistered.class, "a limiter of that name is registered");
        rejected(proxies, TooManyPermits.class, "@RateLimited(permits) 5 exceeds the limit");
        rejected(proxies, WaitWithoutWait.class, "onDenied = WAIT");
        rejected(proxies, CapacityOnWindow.class, "capacity applies to TOKEN_BUCKET only");
        rejected(proxies, BadWindow.class, "@RateLimited(limits[0]).window", "1 sec");
        rejected(proxies, ZeroLimit.class, "ZeroLimit.call()", "@RateLimited(limits[0])", "limit must be > 0");
        rejected(proxies, ConflictingLimits.class, "@RateLimited \"api\"", "one name must have one configuration");
        assertThrows(IllegalArgumentException.class, () -> LatchkeyProxies.builder(latchkey)
                .rateLimiter("x", io.latchkey.ratelimit.RateLimit.fixedWindow(1, java.time.Duration.ofSeconds(1)))
                .rateLimiter("x", io.latchkey.ratelimit.RateLimit.fixedWindow(2, java.time.Duration.ofSeconds(1))));
    }

    interface ValidUploads {
        @ConcurrencyLimited(name = "uploads", permits = 3)
        void upload();
    }

    interface InvalidWithUploads {
        // the semaphore is registered before the lock's lease is read (annotations are read in chain order)
        @ConcurrencyLimited(name = "uploads", permits = 2)
        @DistributedLock(name = "x", lease = "never")
        void upload();
    }

    @Test
    void aFailedProxyCreationLeavesNoSharedConfigurationBehind(Latchkey latchkey) {
        LatchkeyProxies proxies = LatchkeyProxies.of(latchkey);
        rejected(proxies, InvalidWithUploads.class, "@DistributedLock(lease)");
        // "uploads" with 2 permits was never committed, so 3 permits is accepted
        proxies.proxy(ValidUploads.class, dummy(ValidUploads.class));
    }

    @Test
    void factoryArgumentsAreChecked(Latchkey latchkey) {
        LatchkeyProxies proxies = LatchkeyProxies.of(latchkey);
        // the implementation's annotations are read (and validated) as well as the interface's
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> proxies.proxy(Plain.class, new AnnotatedImplementation()));
        assertTrue(e.getMessage().contains("AnnotatedImplementation.run(String): @DistributedLock(lease)"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> proxies.proxy(AnnotatedImplementation.class, new AnnotatedImplementation()));
        assertThrows(NullPointerException.class, () -> proxies.proxy(Plain.class, null));
        assertThrows(IllegalArgumentException.class, () -> LatchkeyProxies.builder(latchkey)
                .order(DistributedLock.class, DistributedLock.class));
        assertThrows(IllegalArgumentException.class, () -> LatchkeyProxies.builder(latchkey)
                .order(RateLimitFreeLock.class));
    }
}
