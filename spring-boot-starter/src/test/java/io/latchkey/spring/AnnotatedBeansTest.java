package io.latchkey.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.annotations.DistributedLock;
import io.latchkey.annotations.Idempotent;
import io.latchkey.annotations.Limit;
import io.latchkey.annotations.RateLimitExceededException;
import io.latchkey.annotations.RateLimited;
import io.latchkey.lock.Locks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The annotations on ordinary (class-based) Spring beans, through the CGLIB advice and the annotations seam. */
class AnnotatedBeansTest {

    private final String run = UUID.randomUUID().toString().substring(0, 8); // fresh keys per test instance

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(LatchkeyAutoConfiguration.class))
            .withPropertyValues("spring.data.redis.port=" + SharedRedis.port(), "latchkey.namespace=t-" + run);

    /** A service class (no interface) whose critical section is a non-atomic read-modify-write. */
    public static class Counter {
        int value;

        @DistributedLock(name = "counter", lease = "10s", maxWait = "30s")
        public void increment() {
            int read = value;
            Thread.yield(); // widen the race a missing lock would lose updates in
            value = read + 1;
        }
    }

    /** Reads its own lock's remaining time while holding it; the annotation names no lease. */
    public static class UsesDefaultLease {
        @DistributedLock(name = "default-lease")
        public long pttl(String key) {
            return (Long) SharedRedis.get().command("PTTL", key);
        }
    }

    @Test
    void latchkeyDefaultLeaseIsTheLeaseOfAnnotationsThatNameNone() {
        runner.withBean(UsesDefaultLease.class).withPropertyValues("latchkey.default-lease=7m").run(context -> {
            UsesDefaultLease bean = context.getBean(UsesDefaultLease.class);
            assertThat(bean.pttl("t-" + run + ":{default-lease}:lock")).isBetween(Duration.ofMinutes(6).toMillis(), Duration.ofMinutes(7).toMillis());
        });
        runner.withBean(UsesDefaultLease.class).run(context -> {
            UsesDefaultLease bean = context.getBean(UsesDefaultLease.class);
            assertThat(bean.pttl("t-" + run + ":{default-lease}:lock")).isBetween(Duration.ofSeconds(20).toMillis(), Duration.ofSeconds(30).toMillis());
        });
    }

    @Test
    void aDistributedLockOnAServiceClassIsMutuallyExclusiveAcross16Threads() throws Exception {
        runner.withBean(Counter.class).run(context -> {
            Counter counter = context.getBean(Counter.class);
            assertThat(AopUtils.isCglibProxy(counter)).isTrue();
            int threads = 16;
            int perThread = 25;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    done.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < perThread; i++) {
                            counter.increment();
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
            // the field lives in the target; the CGLIB proxy's own copy stays 0
            Counter target = (Counter) ((org.springframework.aop.framework.Advised) counter).getTargetSource()
                    .getTarget();
            assertThat(target.value).isEqualTo(threads * perThread);
        });
    }

    /** Plain JavaBeans and records, to address keys through properties. */
    public record Customer(String id) {
    }

    /** An order of a customer. */
    public record Order(String number, Customer customer) {
    }

    /** Keys written in SpEL, in the built-in templates, and with placeholders. */
    public static class Shipping {
        private final Locks locks;
        final AtomicInteger created = new AtomicInteger();

        public Shipping(Locks locks) {
            this.locks = locks;
        }

        @DistributedLock(name = "ship", key = "#order.customer.id")
        public boolean shipSpel(Order order) {
            return locks.lock("ship:" + order.customer().id()).isLocked();
        }

        @DistributedLock(name = "'parcel:' + #order.number + ':' + #p0.customer.id")
        public boolean parcelSpel(Order order) {
            return locks.lock("parcel:" + order.number() + ":" + order.customer().id()).isLocked();
        }

        @DistributedLock(name = "ship:{order.customer.id}")
        public boolean shipTemplate(Order order) {
            return locks.lock("ship:" + order.customer().id()).isLocked();
        }

        @DistributedLock(name = "${shipping.lock-prefix}:{id}", lease = "${shipping.lease}")
        public boolean placeholders(String id) {
            return locks.lock("dock:" + id).isLocked();
        }

        @RateLimited(name = "quota", key = "#customer", limits = @Limit(permits = 2, window = "${shipping.window}"))
        public void quota(String customer) {
        }

        public int createdCount() {
            return created.get();
        }

        @Idempotent(key = "#requestId", ttl = "1h")
        public String create(String requestId) {
            return "order-" + created.incrementAndGet();
        }
    }

    @Test
    void spelTemplatesAndPlaceholdersResolveKeysAndDurations() {
        runner.withBean(Shipping.class)
                .withPropertyValues("shipping.lock-prefix=dock", "shipping.lease=5s", "shipping.window=1h")
                .run(context -> {
                    Shipping shipping = context.getBean(Shipping.class);
                    Order order = new Order("N-1", new Customer("C-7"));
                    assertThat(shipping.shipSpel(order)).as("lock ship:C-7 held during the call").isTrue();
                    assertThat(shipping.parcelSpel(order)).isTrue();
                    assertThat(shipping.shipTemplate(order)).isTrue();
                    assertThat(shipping.placeholders("3")).isTrue();
                    Locks locks = context.getBean(Locks.class);
                    assertThat(locks.lock("ship:C-7").isLocked()).as("released after the call").isFalse();

                    shipping.quota("alice");
                    shipping.quota("alice");
                    shipping.quota("bob"); // a key of its own
                    assertThatThrownBy(() -> shipping.quota("alice"))
                            .isInstanceOfSatisfying(RateLimitExceededException.class, e -> assertThat(e.retryAfter())
                                    .as("the window came from ${shipping.window}=1h")
                                    .isGreaterThan(Duration.ofMinutes(30)));

                    assertThat(shipping.create("r-1")).isEqualTo("order-1");
                    assertThat(shipping.create("r-1")).as("replayed, not run again").isEqualTo("order-1");
                    assertThat(shipping.create("r-2")).isEqualTo("order-2");
                    assertThat(shipping.createdCount()).isEqualTo(2);
                });
    }

    /** Annotations declared on the interface apply to the class bean, proxied by class. */
    public interface Reports {
        @DistributedLock(name = "report:{id}")
        boolean render(String id);
    }

    /** The implementation, without annotations. */
    public static class DefaultReports implements Reports {
        private final Locks locks;

        public DefaultReports(Locks locks) {
            this.locks = locks;
        }

        @Override
        public boolean render(String id) {
            return locks.lock("report:" + id).isLocked();
        }
    }

    @Test
    void annotationsOnAnInterfaceApplyToTheClassBean() {
        runner.withBean(DefaultReports.class).run(context -> {
            DefaultReports reports = context.getBean(DefaultReports.class);
            assertThat(AopUtils.isCglibProxy(reports)).isTrue();
            assertThat(reports.render("q4")).isTrue();
        });
    }

    /** Limiters named by the annotation, defined in properties or by a customizer. */
    public static class Partners {
        @RateLimited(name = "partner")
        public void fromProperties() {
        }

        @RateLimited(name = "coded")
        public void fromCustomizer() {
        }
    }

    @Test
    void namedLimitersComeFromPropertiesAndCustomizers() {
        runner.withBean(Partners.class)
                .withPropertyValues("latchkey.rate-limits.partner[0].algorithm=fixed-window",
                        "latchkey.rate-limits.partner[0].permits=2", "latchkey.rate-limits.partner[0].window=1h")
                .withBean(LatchkeyProxiesCustomizer.class, () -> proxies -> proxies.rateLimiter("coded",
                        io.latchkey.ratelimit.RateLimit.slidingLog(1, Duration.ofHours(1))))
                .run(context -> {
                    Partners partners = context.getBean(Partners.class);
                    partners.fromProperties();
                    partners.fromProperties();
                    assertThatThrownBy(partners::fromProperties).isInstanceOf(RateLimitExceededException.class);
                    partners.fromCustomizer();
                    assertThatThrownBy(partners::fromCustomizer).isInstanceOf(RateLimitExceededException.class);
                });
        runner.withBean(Partners.class).withPropertyValues("latchkey.rate-limits.partner[0].permits=2")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("latchkey.rate-limits.partner[0].window"));
    }

    /** A scheduled job (the schedule is never started here: the test calls it the way the scheduler does). */
    public static class NightlyJob {
        final AtomicInteger runs = new AtomicInteger();

        @org.springframework.scheduling.annotation.Scheduled(cron = "0 0 2 * * *")
        @DistributedLock(name = "job:nightly")
        public void run() {
            runs.incrementAndGet();
        }

        public int runs() {
            return runs.get();
        }

        @DistributedLock(name = "job:nightly")
        public void runNow() {
            runs.incrementAndGet();
        }
    }

    @Test
    void aScheduledRunSkipsQuietlyWhileAnotherInstanceHoldsItsLock() {
        runner.withBean(NightlyJob.class).run(context -> {
            NightlyJob job = context.getBean(NightlyJob.class);
            Locks locks = context.getBean(Locks.class);
            var elsewhere = locks.lock("job:nightly").tryAcquire(Duration.ofSeconds(30)).orElseThrow();
            job.run(); // skipped: no exception for the scheduler to log
            assertThat(job.runs()).isZero();
            assertThatThrownBy(job::runNow).as("a method that is not @Scheduled still throws")
                    .isInstanceOf(io.latchkey.annotations.LockNotAcquiredException.class);
            elsewhere.release();
            job.run();
            assertThat(job.runs()).isEqualTo(1);
        });
    }

    @Test
    void beansWithoutAnnotationsAreNotProxied() {
        runner.withBean(Customer.class, "plain").run(context ->
                assertThat(AopUtils.isAopProxy(context.getBean(Customer.class))).isFalse());
    }

    @Test
    void annotationsCanBeTurnedOff() {
        runner.withBean(Counter.class).withPropertyValues("latchkey.annotations.enabled=false").run(context ->
                assertThat(AopUtils.isAopProxy(context.getBean(Counter.class))).isFalse());
    }
}
