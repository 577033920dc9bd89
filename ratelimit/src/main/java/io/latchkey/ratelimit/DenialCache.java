package io.latchkey.ratelimit;

import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Local memory of recent denials: a key denied for p permits is denied again, for p or more permits, without
 * asking Redis until its retry-after has passed, measured from before the request was sent (so never longer).
 * Bounded: when full, expired entries are dropped and, if still full, the new denial is not remembered.
 */
final class DenialCache {

    private record Entry(long permits, long sentNanos, long untilNanos, RateLimitDecision decision) {
    }

    private final int maxKeys;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    DenialCache(int maxKeys) {
        this.maxKeys = maxKeys;
    }

    void put(String key, long permits, RateLimitDecision denial, long sentNanos) {
        long until = sentNanos + denial.retryAfter().toNanos();
        if (entries.size() >= maxKeys) {
            long now = System.nanoTime();
            for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
                if (it.next().untilNanos - now <= 0) {
                    it.remove();
                }
            }
            if (entries.size() >= maxKeys) {
                return;
            }
        }
        entries.put(key, new Entry(permits, sentNanos, until, denial));
    }

    /** The remembered denial with its retry-after shortened by the time passed, or null. */
    RateLimitDecision get(String key, long permits, long nowNanos) {
        Entry e = entries.get(key);
        if (e == null) {
            return null;
        }
        long left = e.untilNanos - nowNanos;
        if (left <= 0) {
            entries.remove(key, e);
            return null;
        }
        if (permits < e.permits) {
            return null;
        }
        // rounded up to the µs like every retry-after
        return e.decision.withRetryAfter(Duration.ofNanos((left + 999) / 1000 * 1000));
    }

    int size() {
        return entries.size();
    }
}
