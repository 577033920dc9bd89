package io.latchkey.benchmarks;

import java.util.Map;

/**
 * One measured configuration: a benchmark method at a thread count (and JMH parameters).
 *
 * @param id          stable identifier, used by {@link Target}s and filters, e.g. {@code lock.latchkey.16}
 * @param area        module being compared (lock, redlock, ratelimit, dedup, semaphore)
 * @param label       what is measured, for the table
 * @param benchmark   JMH benchmark class
 * @param method      benchmark method
 * @param threads     client threads
 * @param params      JMH {@code @Param} values
 * @param itemsPerOp  items one operation handles (100 for a batch of 100 ids), for items/s
 */
record Case(String id, String area, String label, Class<?> benchmark, String method, int threads,
            Map<String, String> params, int itemsPerOp) {

    static Case of(String id, String area, String label, Class<?> benchmark, String method, int threads) {
        return new Case(id, area, label, benchmark, method, threads, Map.of(), 1);
    }

    Case withParams(Map<String, String> p) {
        return new Case(id, area, label, benchmark, method, threads, p, itemsPerOp);
    }

    Case withItemsPerOp(int n) {
        return new Case(id, area, label, benchmark, method, threads, params, n);
    }
}
