package io.latchkey.annotations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.Latchkey;
import io.latchkey.core.LatchkeyException;
import io.latchkey.testing.FaultProxy;
import io.latchkey.testing.RedisTest;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** When Redis cannot be reached the primitives' own exceptions reach the caller, and the method is not called. */
@RedisTest(proxied = true)
class RedisFailureTest {

    interface Jobs {
        @DistributedLock(name = "job:{0}")
        String run(String job);

        @ConcurrencyLimited(name = "jobs", permits = 2)
        CompletableFuture<String> runAsync(String job);

        @RateLimited(name = "jobs-rate", key = "{0}", limits = @Limit(permits = 10, window = "1m"))
        String limited(String job);
    }

    @Test
    void locksAndSemaphoresFailClosedAndLimitersDenyWithTheirDecision(FaultProxy proxy, Latchkey latchkey)
            throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Jobs jobs = LatchkeyProxies.of(latchkey).proxy(Jobs.class, new Jobs() {
            @Override
            public String run(String job) {
                calls.incrementAndGet();
                return job;
            }

            @Override
            public CompletableFuture<String> runAsync(String job) {
                calls.incrementAndGet();
                return CompletableFuture.completedFuture(job);
            }

            @Override
            public String limited(String job) {
                calls.incrementAndGet();
                return job;
            }
        });
        assertEquals("a", jobs.run("a"));
        proxy.mode(FaultProxy.Mode.BLACKHOLE);
        try {
            assertThrows(LatchkeyException.class, () -> jobs.run("b"));
            Throwable async = jobs.runAsync("c").handle((v, t) -> t).get(30, TimeUnit.SECONDS);
            assertTrue(async instanceof LatchkeyException, String.valueOf(async));
            // FAIL_CLOSED limiter: a denied fallback decision, typed as a rate-limit rejection
            RateLimitExceededException denied = assertThrows(RateLimitExceededException.class,
                    () -> jobs.limited("d"));
            assertTrue(denied.decision().isFallback(), denied.decision().toString());
            assertEquals(1, calls.get(), "no method ran without its coordination");
        } finally {
            proxy.mode(FaultProxy.Mode.PASS);
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> "e".equals(jobs.run("e")));
    }
}
