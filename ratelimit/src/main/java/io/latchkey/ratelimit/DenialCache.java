package io.latchkey.ratelimit;

import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * Local memory of recent denials: a key denied for p permits is denied again, for p or more permits, without
 * asking Redis until its retry-after has passed, measured from before the request was sent (so never longer).
 *
 * <p>Bounded: when full, the key remembered longest ago is forgotten to make room (first in, first out). Inserts run
 * on the Lettuce event loop, so each does constant work: one map update, and for a new key one queue append and
 * (when full) one eviction from the head of the queue; nothing ever walks the map. An expired entry is not removed
 * when read: it answers nothing and leaves when its turn in the queue comes, so every queued slot is in the map and
 * an eviction always frees one.
 */
final class DenialCache {

    private record Entry(long permits, long untilNanos, RateLimitDecision decision) {
    }

    /** One remembered key: its place in the eviction queue, holding the latest denial. */
    private static final class Slot {
        final String key;
        volatile Entry entry;

        Slot(String key, Entry entry) {
            this.key = key;
            this.entry = entry;
        }
    }

    private final int maxKeys;
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();
    private final Queue<Slot> insertionOrder = new ConcurrentLinkedQueue<>();
    /** Slots taken off the queue to make room, over the cache's life: one per insert into a full cache. */
    private final LongAdder evictionSteps = new LongAdder();

    DenialCache(int maxKeys) {
        this.maxKeys = maxKeys;
    }

    void put(String key, long permits, RateLimitDecision denial, long sentNanos) {
        Entry entry = new Entry(permits, sentNanos + denial.retryAfter().toNanos(), denial);
        Slot fresh = new Slot(key, entry);
        Slot known = slots.putIfAbsent(key, fresh);
        if (known != null) {
            known.entry = entry; // a remembered key keeps its place: no queue work
            return;
        }
        insertionOrder.add(fresh);
        // Each pass removes one slot (every queued slot is in the map), so this runs once, or a few times when
        // inserts race each other.
        while (slots.size() > maxKeys) {
            Slot oldest = insertionOrder.poll();
            if (oldest == null) {
                return;
            }
            evictionSteps.increment();
            slots.remove(oldest.key, oldest);
        }
    }

    /** The remembered denial with its retry-after shortened by the time passed, or null. */
    RateLimitDecision get(String key, long permits, long nowNanos) {
        Slot slot = slots.get(key);
        if (slot == null) {
            return null;
        }
        Entry e = slot.entry;
        long left = e.untilNanos - nowNanos;
        if (left <= 0 || permits < e.permits) {
            return null;
        }
        // rounded up to the µs like every retry-after
        return e.decision.withRetryAfter(Duration.ofNanos((left + 999) / 1000 * 1000));
    }

    int size() {
        return slots.size();
    }

    /** For tests: queue slots examined by evictions so far. */
    long evictionSteps() {
        return evictionSteps.sum();
    }
}
