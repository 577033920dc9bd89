package io.latchkey.ratelimit;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * HTTP headers for a {@link RateLimitDecision}, in the structured-field form of the IETF draft
 * "RateLimit header fields for HTTP" (draft-ietf-httpapi-ratelimit-headers), plus {@code Retry-After} (RFC 9110):
 *
 * <pre>
 * RateLimit-Policy: "fixed-1s";q=10;w=1, "log-1m";q=100;w=60
 * RateLimit: "fixed-1s";r=0;t=1
 * Retry-After: 1
 * </pre>
 *
 * <p>{@code RateLimit} describes the binding limit; seconds are rounded up, so a client that waits
 * {@code Retry-After} seconds is never early. Immutable.
 */
public final class RateLimitHeaders {

    /** Header name {@code RateLimit}. */
    public static final String RATE_LIMIT = "RateLimit";
    /** Header name {@code RateLimit-Policy}. */
    public static final String RATE_LIMIT_POLICY = "RateLimit-Policy";
    /** Header name {@code Retry-After}. */
    public static final String RETRY_AFTER = "Retry-After";

    private final String rateLimit;
    private final String policy;
    private final String retryAfter;

    private RateLimitHeaders(String rateLimit, String policy, String retryAfter) {
        this.rateLimit = rateLimit;
        this.policy = policy;
        this.retryAfter = retryAfter;
    }

    static RateLimitHeaders of(RateLimitDecision d, List<RateLimit> limits) {
        String policy = limits.stream()
                .map(l -> "\"" + l.policyName() + "\";q=" + l.limit() + ";w=" + l.windowSeconds())
                .collect(Collectors.joining(", "));
        String rateLimit = "\"" + d.bindingLimit().policyName() + "\";r=" + d.remaining() + ";t="
                + secondsUp(d.resetAfter());
        String retry = d.allowed() || d.exceedsLimit() ? null : Long.toString(Math.max(1, secondsUp(d.retryAfter())));
        return new RateLimitHeaders(rateLimit, policy, retry);
    }

    static long secondsUp(Duration d) {
        return d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
    }

    /** The {@code RateLimit} value: the binding limit's remaining quota and seconds until it resets. */
    public String rateLimit() {
        return rateLimit;
    }

    /** The {@code RateLimit-Policy} value: every limit of the limiter with its quota and window in seconds. */
    public String rateLimitPolicy() {
        return policy;
    }

    /** {@code Retry-After} in whole seconds, rounded up; empty when allowed or when no wait can help. */
    public Optional<String> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** All headers to set, in a stable order. */
    public Map<String, String> asMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(RATE_LIMIT_POLICY, policy);
        m.put(RATE_LIMIT, rateLimit);
        if (retryAfter != null) {
            m.put(RETRY_AFTER, retryAfter);
        }
        return m;
    }

    @Override
    public String toString() {
        return asMap().toString();
    }
}
