package io.latchkey.examples;

import io.latchkey.ratelimit.RateLimit;
import io.latchkey.ratelimit.RateLimitDecision;
import io.latchkey.ratelimit.RateLimitHeaders;
import io.latchkey.ratelimit.RateLimiter;
import io.latchkey.ratelimit.RateLimiters;
import java.time.Duration;

/** The orders API limits each user: a burst of 5 per 10 s and 100 per minute, checked together. */
final class RateLimitSection implements Section {

    @Override
    public String title() {
        return "An API rate-limited per user";
    }

    @Override
    public void run(Fleet fleet, Narrator say) throws Exception {
        RateLimiter api = RateLimiters.of(fleet.main()).limiter("orders-api",
                RateLimit.slidingLog(5, Duration.ofSeconds(10)),
                RateLimit.fixedWindow(100, Duration.ofMinutes(1)));
        say.say("The orders API allows each user 5 requests per 10 s (sliding log) and 100 per minute (fixed window);");
        say.say("one script checks and counts both. Every gateway instance shares the counts through Redis.");
        say.blank();
        int allowed = 0;
        for (int i = 1; i <= 7; i++) {
            allowed += request(api, say, "alice", i) ? 1 : 0;
        }
        boolean bob = request(api, say, "bob", 1);
        if (allowed != 5 || !bob) {
            throw new IllegalStateException("expected 5 of alice's 7 requests and bob's to pass, got " + allowed
                    + " and " + bob);
        }

        say.blank();
        RateLimitDecision d = api.tryAcquire("alice");
        say.say("alice asks again: %s; she may retry in %d ms (Retry-After rounds up to whole seconds: %s s).",
                d.allowed() ? "allowed" : "denied", d.retryAfter().toMillis(),
                d.headers().retryAfter().orElse("-"));

        say.blank();
        RateLimiter exports = RateLimiters.of(fleet.main()).limiter("exports",
                RateLimit.tokenBucket(2, 4, Duration.ofSeconds(1)));
        say.say("The export job for carol may burst 2 calls, then 4 per second (token bucket). Instead of failing");
        say.say("it waits for its quota: acquire(\"carol\", 1, maxWait 2 s) sleeps until the retry-after, no polling.");
        long start = System.nanoTime();
        for (int i = 1; i <= 5; i++) {
            if (!exports.acquire("carol", 1, Duration.ofSeconds(2))) {
                throw new IllegalStateException("carol's export call " + i + " got no quota within 2 s");
            }
            say.say("export call %d sent at +%3d ms", i, (System.nanoTime() - start) / 1_000_000);
        }
    }

    private static boolean request(RateLimiter api, Narrator say, String user, int n) {
        RateLimitDecision d = api.tryAcquire(user);
        RateLimitHeaders h = d.headers();
        say.say("GET /orders  %-5s #%d -> %s  RateLimit: %s%s", user, n, d.allowed() ? "200" : "429",
                h.rateLimit(), h.retryAfter().map(s -> "  Retry-After: " + s).orElse(""));
        if (n == 1 && user.equals("alice")) {
            say.say("%30sRateLimit-Policy: %s", "", h.rateLimitPolicy());
        }
        return d.allowed();
    }
}
