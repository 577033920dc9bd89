/**
 * Distributed rate limiters on Redis: fixed window, sliding log, sliding window counter and token bucket (GCRA),
 * each decision one atomic script reading Redis time. Start with {@link io.latchkey.ratelimit.RateLimiters}.
 */
package io.latchkey.ratelimit;
