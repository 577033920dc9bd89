package io.latchkey.spring;

import io.latchkey.annotations.Limit;
import io.latchkey.core.FailurePolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Latchkey's own settings, under {@code latchkey.*}. Where Redis is comes from Boot's {@code spring.data.redis.*}
 * (see {@code docs/spring-boot.md}); these say how Latchkey uses it.
 *
 * <pre>
 * latchkey.namespace=orders
 * latchkey.command-timeout=500ms
 * latchkey.rate-limiter.failure-policy=fail-open
 * latchkey.rate-limits.partner-api[0].permits=100
 * latchkey.rate-limits.partner-api[0].window=1m
 * </pre>
 */
@ConfigurationProperties("latchkey")
public class LatchkeyProperties {

    /** Whether to auto-configure Latchkey at all. */
    private boolean enabled = true;

    /** The prefix of every key Latchkey writes; letters, digits and -_.: only. */
    private String namespace = "latchkey";

    /**
     * The timeout of every Redis command. Unset: spring.data.redis.timeout when that is set, else 2 s. A timed-out
     * command's outcome is unknown.
     */
    private Duration commandTimeout;
    private Duration defaultLease = Duration.ofSeconds(30);

    private final Ssl ssl = new Ssl();
    private final RateLimiter rateLimiter = new RateLimiter();
    private final Map<String, List<LimitDefinition>> rateLimits = new LinkedHashMap<>();
    private final Deduplicator deduplicator = new Deduplicator();
    private final Idempotency idempotency = new Idempotency();
    private final Annotations annotations = new Annotations();
    private final Metrics metrics = new Metrics();

    /** Whether to auto-configure Latchkey at all. */
    public boolean isEnabled() {
        return enabled;
    }

    /** Whether to auto-configure Latchkey at all. */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** The key prefix. */
    public String getNamespace() {
        return namespace;
    }

    /** The key prefix. */
    public void setNamespace(String namespace) {
        this.namespace = namespace;
    }

    /** The command timeout, or null to take spring.data.redis.timeout (or Latchkey's 2 s). */
    public Duration getCommandTimeout() {
        return commandTimeout;
    }

    /** The command timeout. */
    public void setCommandTimeout(Duration commandTimeout) {
        this.commandTimeout = commandTimeout;
    }

    /**
     * The lease of every {@code @DistributedLock}, {@code @ConcurrencyLimited} and {@code @Idempotent} that names
     * none (default 30 s).
     */
    public Duration getDefaultLease() {
        return defaultLease;
    }

    /** The default lease of annotated methods. */
    public void setDefaultLease(Duration defaultLease) {
        this.defaultLease = defaultLease;
    }

    /** TLS trust. */
    public Ssl getSsl() {
        return ssl;
    }

    /**
     * Named rate limiters, registered with the annotations factory: a {@code @RateLimited(name = "partner-api")}
     * without inline limits uses {@code latchkey.rate-limits.partner-api}.
     */
    public Map<String, List<LimitDefinition>> getRateLimits() {
        return rateLimits;
    }

    /** Defaults of rate limiters. */
    public RateLimiter getRateLimiter() {
        return rateLimiter;
    }

    /** Defaults of deduplicators. */
    public Deduplicator getDeduplicator() {
        return deduplicator;
    }

    /** Defaults of idempotent executors. */
    public Idempotency getIdempotency() {
        return idempotency;
    }

    /** The coordination annotations on Spring beans. */
    public Annotations getAnnotations() {
        return annotations;
    }

    /** Micrometer integration. */
    public Metrics getMetrics() {
        return metrics;
    }

    /** {@code latchkey.ssl.*}. */
    public static class Ssl {
        /**
         * A PEM file of the certificates (e.g. a private CA) to trust for rediss:// instead of the JVM's default
         * trust store. Peer verification stays on.
         */
        private Path trustedCertificates;

        /** The PEM file, or null for the JVM's trust store. */
        public Path getTrustedCertificates() {
            return trustedCertificates;
        }

        /** The PEM file. */
        public void setTrustedCertificates(Path trustedCertificates) {
            this.trustedCertificates = trustedCertificates;
        }
    }

    /** One limit of a named rate limiter, {@code latchkey.rate-limits.<name>[i].*}; the same fields as {@link Limit}. */
    public static class LimitDefinition {
        /** The algorithm: sliding-log (exact for any window), fixed-window, sliding-window or token-bucket. */
        private Limit.Algorithm algorithm = Limit.Algorithm.SLIDING_LOG;
        /** Permits per window (token bucket: tokens added per window). */
        private long permits;
        /** The window, e.g. 1s, 1m. */
        private Duration window;
        /** Token bucket only: the bucket size; 0 means permits. */
        private long capacity;

        /** The algorithm. */
        public Limit.Algorithm getAlgorithm() {
            return algorithm;
        }

        /** The algorithm. */
        public void setAlgorithm(Limit.Algorithm algorithm) {
            this.algorithm = algorithm;
        }

        /** Permits per window. */
        public long getPermits() {
            return permits;
        }

        /** Permits per window. */
        public void setPermits(long permits) {
            this.permits = permits;
        }

        /** The window. */
        public Duration getWindow() {
            return window;
        }

        /** The window. */
        public void setWindow(Duration window) {
            this.window = window;
        }

        /** Token bucket size. */
        public long getCapacity() {
            return capacity;
        }

        /** Token bucket size. */
        public void setCapacity(long capacity) {
            this.capacity = capacity;
        }
    }

    /** {@code latchkey.rate-limiter.*}: options of the auto-configured {@code RateLimiterOptions} bean. */
    public static class RateLimiter {
        /** What a limiter answers when Redis cannot be asked: fail-closed denies, fail-open allows. */
        private FailurePolicy failurePolicy = FailurePolicy.FAIL_CLOSED;

        /** The failure policy. */
        public FailurePolicy getFailurePolicy() {
            return failurePolicy;
        }

        /** The failure policy. */
        public void setFailurePolicy(FailurePolicy failurePolicy) {
            this.failurePolicy = failurePolicy;
        }
    }

    /** {@code latchkey.deduplicator.*}: options of the auto-configured {@code DeduplicatorOptions} bean. */
    public static class Deduplicator {
        /**
         * What a deduplicator answers when Redis cannot be asked: fail-closed throws (the message is redelivered),
         * fail-open treats the id as first seen.
         */
        private FailurePolicy failurePolicy = FailurePolicy.FAIL_CLOSED;

        /** The failure policy. */
        public FailurePolicy getFailurePolicy() {
            return failurePolicy;
        }

        /** The failure policy. */
        public void setFailurePolicy(FailurePolicy failurePolicy) {
            this.failurePolicy = failurePolicy;
        }
    }

    /** {@code latchkey.idempotency.*}: the failure policy of {@code @Idempotent} methods. */
    public static class Idempotency {
        /** What an idempotent call does when Redis cannot be asked: fail-closed throws, fail-open runs the method. */
        private FailurePolicy failurePolicy = FailurePolicy.FAIL_CLOSED;

        /** The failure policy. */
        public FailurePolicy getFailurePolicy() {
            return failurePolicy;
        }

        /** The failure policy. */
        public void setFailurePolicy(FailurePolicy failurePolicy) {
            this.failurePolicy = failurePolicy;
        }
    }

    /** {@code latchkey.annotations.*}: the coordination annotations on Spring beans. */
    public static class Annotations {
        /** Whether methods of Spring beans carrying Latchkey's annotations are proxied. */
        private boolean enabled = true;

        /** Whether annotated methods are proxied. */
        public boolean isEnabled() {
            return enabled;
        }

        /** Whether annotated methods are proxied. */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** {@code latchkey.metrics.*}. */
    public static class Metrics {
        /** Whether Latchkey registers its meters in the application's MeterRegistry. */
        private boolean enabled = true;

        /** Whether meters are registered. */
        public boolean isEnabled() {
            return enabled;
        }

        /** Whether meters are registered. */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }
}
