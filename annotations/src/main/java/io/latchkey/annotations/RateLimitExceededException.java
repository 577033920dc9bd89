package io.latchkey.annotations;

import io.latchkey.ratelimit.RateLimitDecision;
import java.time.Duration;

/**
 * {@link RateLimited}: the limiter denied the call (with {@link RateLimited.OnDenied#WAIT}: also after waiting);
 * the method was not invoked. Carries the limiter's decision, e.g. for an HTTP 429 with
 * {@code decision().headers()}.
 */
public class RateLimitExceededException extends CoordinationRejectedException {

    private final String key;
    private final transient RateLimitDecision decision;

    /** A rejection of {@code method} by {@code limiter} for {@code key}, with the denying decision. */
    public RateLimitExceededException(String method, String limiter, String key, RateLimitDecision decision,
                                      Throwable cause) {
        super(method, limiter, "rate limit of \"" + limiter + "\" exceeded for key \"" + key + "\" in " + method
                + " (" + decision.outcome() + ", retry after " + decision.retryAfter().toMillis() + " ms)", cause);
        this.key = key;
        this.decision = decision;
    }

    /** The user key the permits were asked for. */
    public String key() {
        return key;
    }

    /** The denying decision (the first one, when the call waited). */
    public RateLimitDecision decision() {
        return decision;
    }

    /** Shortcut for {@code decision().retryAfter()}. */
    public Duration retryAfter() {
        return decision.retryAfter();
    }
}
