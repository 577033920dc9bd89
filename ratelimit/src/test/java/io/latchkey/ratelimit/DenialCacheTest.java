package io.latchkey.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The near-cache's bound and the work each insert does (no Redis). */
class DenialCacheTest {

    /** A denial with a 1 s retry-after. */
    private static final RateLimitDecision DENIAL = RedisRateLimiter.decode(
            List.of(0L, 5L, 0L, 1_000_000L, 1_000_000L, 0L, 0L, 0L), DecisionAndHeadersTest.LIMITS);

    @Test
    void insertingIntoAFullMillionEntryCacheExaminesOneEntry() {
        int max = 1_000_000;
        DenialCache cache = new DenialCache(max);
        long sent = System.nanoTime();
        for (int i = 0; i < max; i++) {
            cache.put("k" + i, 1, DENIAL, sent);
        }
        assertEquals(max, cache.size());
        assertEquals(0, cache.evictionSteps(), "no eviction until full");
        for (int i = 0; i < 1_000; i++) {
            long before = cache.evictionSteps();
            cache.put("new" + i, 1, DENIAL, sent);
            assertEquals(1, cache.evictionSteps() - before, "one entry examined per insert into a full cache");
            assertEquals(max, cache.size(), "bounded");
        }
        assertNotNull(cache.get("new999", 1, sent), "the newest denial is remembered");
        assertNull(cache.get("k0", 1, sent), "the oldest made room");
        assertNotNull(cache.get("k1000", 1, sent), "only as many as needed were evicted");
    }

    @Test
    void expiredEntriesAnswerNothingAndStillLeaveInTurn() {
        DenialCache cache = new DenialCache(2);
        long sent = 1_000_000_000L;
        cache.put("a", 1, DENIAL, sent);
        assertNull(cache.get("a", 1, sent + 1_000_000_000L), "past its retry-after");
        cache.put("b", 1, DENIAL, sent);
        cache.put("c", 1, DENIAL, sent);
        assertEquals(2, cache.size());
        assertNull(cache.get("a", 1, sent), "a was the oldest");
        assertNotNull(cache.get("c", 1, sent));
    }

    @Test
    void aRememberedKeyIsUpdatedInPlace() {
        DenialCache cache = new DenialCache(2);
        cache.put("a", 3, DENIAL, 0);
        cache.put("a", 1, DENIAL, 0);
        assertEquals(1, cache.size());
        assertNotNull(cache.get("a", 1, 1), "the latest denial (1 permit) answers");
        cache.put("b", 1, DENIAL, 0);
        cache.put("c", 1, DENIAL, 0);
        assertEquals(1, cache.evictionSteps(), "a re-put queued nothing, so one eviction made room");
    }
}
