package io.latchkey.annotations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.Latchkey;
import io.latchkey.ratelimit.RateLimit;
import io.latchkey.ratelimit.RateLimitDecision;
import io.latchkey.ratelimit.RateLimiters;
import io.latchkey.testing.RedisTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

@RedisTest
class RateLimitedAnnotationTest {

    interface Quotes {
        @RateLimited(name = "quotes", key = "{customerId}", limits = @Limit(permits = 5, window = "1h"))
        String quote(@Key("customerId") String customerId);

        @RateLimited(name = "partner")
        String partnerA(String x);

        @RateLimited(name = "partner", permits = 2)
        String partnerB(String x);

        @RateLimited(name = "global", limits = {@Limit(algorithm = Limit.Algorithm.FIXED_WINDOW, permits = 2,
                window = "1h"), @Limit(algorithm = Limit.Algorithm.TOKEN_BUCKET, capacity = 10, permits = 1,
                window = "1m")})
        int global(String anything);

        @RateLimited(name = "patient", key = "{0}", limits = @Limit(permits = 2, window = "300ms"),
                onDenied = RateLimited.OnDenied.WAIT, maxWait = "20s")
        String patient(String user);

        @RateLimited(name = "impatient", key = "{0}", limits = @Limit(permits = 1, window = "1h"),
                onDenied = RateLimited.OnDenied.WAIT, maxWait = "200ms")
        String impatient(String user);

        @RateLimited(name = "quotes-async", key = "{0}", limits = @Limit(permits = 1, window = "1h"))
        CompletableFuture<String> quoteAsync(String customerId);
    }

    static final class QuotesImpl implements Quotes {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public String quote(String customerId) {
            calls.incrementAndGet();
            return "quote for " + customerId;
        }

        @Override
        public String partnerA(String x) {
            return "a" + x;
        }

        @Override
        public String partnerB(String x) {
            return "b" + x;
        }

        @Override
        public int global(String anything) {
            return 1;
        }

        @Override
        public String patient(String user) {
            calls.incrementAndGet();
            return user;
        }

        @Override
        public String impatient(String user) {
            return user;
        }

        @Override
        public CompletableFuture<String> quoteAsync(String customerId) {
            return CompletableFuture.completedFuture("async " + customerId);
        }
    }

    private static LatchkeyProxies proxies(Latchkey latchkey) {
        return LatchkeyProxies.builder(latchkey)
                .rateLimiter("partner", RateLimit.fixedWindow(3, Duration.ofHours(1)))
                .build();
    }

    @Test
    void exactlyTheLimitPassesUnderConcurrencyPerKey(Latchkey latchkey) throws Exception {
        QuotesImpl impl = new QuotesImpl();
        Quotes quotes = proxies(latchkey).proxy(Quotes.class, impl);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        AtomicInteger allowed = new AtomicInteger();
        List<RateLimitExceededException> denied = java.util.Collections.synchronizedList(new ArrayList<>());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 4; i++) {
                        try {
                            quotes.quote("c-1");
                            allowed.incrementAndGet();
                        } catch (RateLimitExceededException e) {
                            denied.add(e);
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(5, allowed.get());
        assertEquals(5, impl.calls.get());
        assertEquals(27, denied.size());
        RateLimitExceededException e = denied.get(0);
        RateLimitDecision d = e.decision();
        assertFalse(d.allowed());
        assertEquals(5, d.limit());
        assertTrue(e.retryAfter().compareTo(Duration.ZERO) > 0);
        assertEquals("c-1", e.key());
        assertEquals("quotes", e.name());
        assertEquals("Quotes.quote(String)", e.method());
        assertEquals("quote for c-2", quotes.quote("c-2"), "another key has its own budget");
    }

    @Test
    void aRegisteredLimiterIsSharedByTheMethodsReferencingIt(Latchkey latchkey) {
        Quotes quotes = proxies(latchkey).proxy(Quotes.class, new QuotesImpl());
        assertEquals("a1", quotes.partnerA("1"));
        assertEquals("b1", quotes.partnerB("1")); // two permits: 3 of 3 used
        assertThrows(RateLimitExceededException.class, () -> quotes.partnerA("2"));
        assertThrows(RateLimitExceededException.class, () -> quotes.partnerB("2"));
    }

    @Test
    void withoutAKeyEveryCallSharesOneBucketAndAllLimitsApply(Latchkey latchkey) {
        Quotes quotes = proxies(latchkey).proxy(Quotes.class, new QuotesImpl());
        assertEquals(1, quotes.global("x"));
        assertEquals(1, quotes.global("y"));
        RateLimitExceededException e = assertThrows(RateLimitExceededException.class, () -> quotes.global("z"));
        assertEquals(RateLimitStep.GLOBAL_KEY, e.key());
        assertEquals(RateLimit.Algorithm.FIXED_WINDOW, e.decision().bindingLimit().algorithm());
    }

    @Test
    void onDeniedWaitWaitsForTheNextWindowOrGivesUpWithTheDecision(Latchkey latchkey) {
        QuotesImpl impl = new QuotesImpl();
        Quotes quotes = proxies(latchkey).proxy(Quotes.class, impl);
        for (int i = 0; i < 6; i++) {
            assertEquals("u", quotes.patient("u")); // 2 per 300 ms: later calls wait instead of failing
        }
        assertEquals(6, impl.calls.get());

        assertEquals("v", quotes.impatient("v"));
        RateLimitExceededException e = assertThrows(RateLimitExceededException.class, () -> quotes.impatient("v"));
        assertTrue(e.retryAfter().compareTo(Duration.ofMinutes(30)) > 0, "retryAfter beyond maxWait: no wait");
    }

    @Test
    void anAsyncDenialFailsTheFuture(Latchkey latchkey) throws Exception {
        Quotes quotes = proxies(latchkey).proxy(Quotes.class, new QuotesImpl());
        assertEquals("async a", quotes.quoteAsync("a").get(10, TimeUnit.SECONDS));
        Throwable t = quotes.quoteAsync("a").handle((v, x) -> x).get(10, TimeUnit.SECONDS);
        assertTrue(t instanceof RateLimitExceededException, String.valueOf(t));
        // the limiter's state is the module's own: a direct limiter of the same name and limits sees it
        assertFalse(RateLimiters.of(latchkey).limiter("quotes-async", RateLimit.slidingLog(1, Duration.ofHours(1)))
                .tryAcquire("a").allowed());
    }
}
