package io.latchkey.annotations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.Latchkey;
import io.latchkey.lock.Locks;
import io.latchkey.semaphore.Semaphores;
import io.latchkey.testing.RedisTest;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/**
 * Methods returning {@code Mono}/{@code Flux}: coordination taken on subscribe, held until the terminal signal or a
 * cancel, released once and before the subscriber sees the terminal signal.
 */
@RedisTest
class ReactiveReturnsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    interface Jobs {
        @DistributedLock(name = "rx:{0}", lease = "10s")
        Mono<String> locked(String job, Mono<String> work);

        @DistributedLock(name = "rx-patient:{0}", lease = "10s", maxWait = "30s")
        Mono<String> patient(String job, Mono<String> work);

        @RateLimited(name = "rx-quote", key = "{0}", limits = @Limit(permits = 1, window = "1h"))
        Mono<String> quote(String customer);

        @Idempotent(name = "rx-charge", key = "{0}")
        Mono<String> charge(String requestId);

        @Deduplicated(name = "rx-event", key = "{0}")
        Mono<String> onEvent(String eventId);

        @Deduplicated(name = "rx-events", key = "{0}")
        Flux<Integer> onEvents(String eventId);

        @ConcurrencyLimited(name = "rx-stream", permits = 1, lease = "10s")
        Flux<Integer> stream(Flux<Integer> elements);

        @DistributedLock(name = "rx-fenced")
        Mono<Long> fenced(@FencingToken long token);
    }

    static final class JobsImpl implements Jobs {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public Mono<String> locked(String job, Mono<String> work) {
            calls.incrementAndGet();
            return work;
        }

        @Override
        public Mono<String> patient(String job, Mono<String> work) {
            calls.incrementAndGet();
            return work;
        }

        @Override
        public Mono<String> quote(String customer) {
            calls.incrementAndGet();
            return Mono.just("quote for " + customer);
        }

        @Override
        public Mono<String> charge(String requestId) {
            int n = calls.incrementAndGet();
            return Mono.fromSupplier(() -> "receipt-" + n);
        }

        @Override
        public Mono<String> onEvent(String eventId) {
            calls.incrementAndGet();
            return Mono.just("handled " + eventId);
        }

        @Override
        public Flux<Integer> onEvents(String eventId) {
            calls.incrementAndGet();
            return Flux.just(1, 2, 3);
        }

        @Override
        public Flux<Integer> stream(Flux<Integer> elements) {
            calls.incrementAndGet();
            return elements;
        }

        @Override
        public Mono<Long> fenced(long token) {
            return Mono.just(token);
        }
    }

    /** Only a lock, so the proxy can also be built by a version that treats a Mono as a plain value. */
    interface Regression {
        @DistributedLock(name = "rx:{0}", lease = "10s")
        Mono<String> locked(String job, Mono<String> work);
    }

    /**
     * The bug this support fixes: the Mono was treated as a plain value, so the lock was released when the method
     * returned it, before anything subscribed, and its work ran unlocked.
     */
    @Test
    void theWorkOfAMonoRunsWhileItsLockIsHeld(Latchkey latchkey) {
        Regression jobs = LatchkeyProxies.of(latchkey).proxy(Regression.class, (job, work) -> work);
        var lock = Locks.of(latchkey).lock("rx:regression");
        Mono<String> work = Mono.fromCallable(() -> "locked=" + lock.isLocked());
        Mono<String> call = jobs.locked("regression", work);
        assertFalse(lock.isLocked(), "nothing is taken before subscription");
        assertEquals("locked=true", call.block(WAIT));
        assertFalse(lock.isLocked(), "released once the Mono completed");
    }

    @Test
    void aMonoHoldsItsLockUntilItCompletesAndASecondSubscriberIsRefused(Latchkey latchkey) throws Exception {
        JobsImpl impl = new JobsImpl();
        Jobs jobs = LatchkeyProxies.of(latchkey).proxy(Jobs.class, impl);
        var lock = Locks.of(latchkey).lock("rx:a");
        Sinks.One<String> result = Sinks.one();
        CountDownLatch subscribed = new CountDownLatch(1);
        CompletableFuture<String> first = jobs.locked("a", result.asMono().doOnSubscribe(s -> subscribed.countDown()))
                .toFuture();
        assertTrue(subscribed.await(10, TimeUnit.SECONDS), "the method's Mono was subscribed");
        assertTrue(lock.isLocked(), "held while the Mono is in flight");
        assertFalse(first.isDone());

        StepVerifier.create(jobs.locked("a", Mono.just("second")))
                .expectErrorSatisfies(e -> {
                    assertTrue(e instanceof LockNotAcquiredException, String.valueOf(e));
                    assertEquals("rx:a", ((LockNotAcquiredException) e).name());
                })
                .verify(WAIT);
        assertEquals(1, impl.calls.get(), "the refused subscription never called the method");

        result.tryEmitValue("done");
        assertEquals("done", first.get(10, TimeUnit.SECONDS));
        assertFalse(lock.isLocked(), "released before the subscriber saw the value");
        assertEquals("again", jobs.locked("a", Mono.just("again")).block(WAIT));
    }

    @Test
    void theMethodsMonoSeesTheSubscribersReactorContext(Latchkey latchkey) {
        Jobs jobs = LatchkeyProxies.of(latchkey).proxy(Jobs.class, new JobsImpl());
        Mono<String> work = Mono.deferContextual(c -> Mono.just("user=" + c.getOrDefault("user", "none")));
        assertEquals("user=alice", jobs.locked("ctx", work).contextWrite(reactor.util.context.Context.of("user",
                "alice")).block(WAIT));
        Flux<Integer> elements = Flux.deferContextual(c -> Flux.just(c.getOrDefault("n", 0)));
        assertEquals(List.of(7), jobs.stream(elements).contextWrite(reactor.util.context.Context.of("n", 7))
                .collectList().block(WAIT));
    }

    @Test
    void nothingHappensUntilSubscriptionAndEachSubscriptionCoordinatesAgain(Latchkey latchkey) {
        JobsImpl impl = new JobsImpl();
        Jobs jobs = LatchkeyProxies.of(latchkey).proxy(Jobs.class, impl);
        Mono<String> never = jobs.locked("idle", Mono.just("x"));
        Mono<String> first = jobs.quote("acme");
        Mono<String> second = jobs.quote("acme");
        assertEquals(0, impl.calls.get(), "calling the proxy invokes nothing");
        assertFalse(Locks.of(latchkey).lock("rx:idle").isLocked());

        // the rate limit is decided on subscribe: the Mono created last is subscribed first and passes
        assertEquals("quote for acme", second.block(WAIT));
        RateLimitExceededException denied = assertThrows(RateLimitExceededException.class, () -> first.block(WAIT));
        assertEquals("rx-quote", denied.name());
        // and again for every subscription of the same Mono
        assertThrows(RateLimitExceededException.class, () -> second.block(WAIT));
        assertEquals(1, impl.calls.get());
        assertTrue(never != null);
    }

    @Test
    void cancellingTheSubscriptionReleasesAndCancelsTheWork(Latchkey latchkey) throws Exception {
        Jobs jobs = LatchkeyProxies.of(latchkey).proxy(Jobs.class, new JobsImpl());
        var lock = Locks.of(latchkey).lock("rx:c");
        CountDownLatch subscribed = new CountDownLatch(1);
        CountDownLatch workCancelled = new CountDownLatch(1);
        Mono<String> work = Mono.<String>never().doOnSubscribe(s -> subscribed.countDown())
                .doOnCancel(workCancelled::countDown);
        Disposable d = jobs.locked("c", work).subscribe();
        assertTrue(subscribed.await(10, TimeUnit.SECONDS));
        assertTrue(lock.isLocked());
        d.dispose();
        assertTrue(workCancelled.await(10, TimeUnit.SECONDS), "the method's Mono was cancelled");
        Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> !lock.isLocked());
        assertEquals("next", jobs.locked("c", Mono.just("next")).block(WAIT));
    }

    @Test
    void anErrorReleasesBeforeItReachesTheSubscriber(Latchkey latchkey) {
        Jobs jobs = LatchkeyProxies.of(latchkey).proxy(Jobs.class, new JobsImpl());
        var lock = Locks.of(latchkey).lock("rx:e");
        List<Boolean> lockedAtError = new CopyOnWriteArrayList<>();
        StepVerifier.create(jobs.locked("e", Mono.error(new IllegalStateException("boom")))
                        .doOnError(e -> lockedAtError.add(lock.isLocked())))
                .expectErrorMatches(e -> e instanceof IllegalStateException && e.getMessage().equals("boom"))
                .verify(WAIT);
        assertEquals(List.of(false), lockedAtError);
        // a method that returns null instead of a Mono releases too
        StepVerifier.create(jobs.locked("e", null)).expectError(NullPointerException.class).verify(WAIT);
        assertFalse(lock.isLocked());
    }

    @Test
    void cancellingWhileWaitingForTheLockAbandonsTheWait(Latchkey latchkey) throws Exception {
        JobsImpl impl = new JobsImpl();
        Jobs jobs = LatchkeyProxies.of(latchkey).proxy(Jobs.class, impl);
        var lock = Locks.of(latchkey).lock("rx-patient:p");
        var held = lock.tryAcquire(Duration.ofSeconds(30)).orElseThrow();
        Disposable waiting = jobs.patient("p", Mono.just("late")).subscribe();
        waiting.dispose();
        held.release();
        var next = lock.tryAcquire(Duration.ofSeconds(30));
        assertTrue(next.isPresent(), "the cancelled subscriber must not take the lock");
        next.get().release();
        assertEquals(0, impl.calls.get());
        assertEquals("late", jobs.patient("p", Mono.just("late")).block(WAIT));
    }

    @Test
    void anIdempotentMonoReplaysItsResult(Latchkey latchkey) {
        JobsImpl impl = new JobsImpl();
        Jobs jobs = LatchkeyProxies.of(latchkey).proxy(Jobs.class, impl);
        Mono<String> charge = jobs.charge("req-1");
        assertEquals("receipt-1", charge.block(WAIT));
        assertEquals("receipt-1", charge.block(WAIT), "a second subscription replays");
        assertEquals("receipt-1", jobs.charge("req-1").block(WAIT), "a second call replays");
        assertEquals(1, impl.calls.get());
        assertEquals("receipt-2", jobs.charge("req-2").block(WAIT));
    }

    @Test
    void aDuplicateMonoOrFluxIsEmpty(Latchkey latchkey) {
        JobsImpl impl = new JobsImpl();
        Jobs jobs = LatchkeyProxies.of(latchkey).proxy(Jobs.class, impl);
        assertEquals("handled e1", jobs.onEvent("e1").block(WAIT));
        StepVerifier.create(jobs.onEvent("e1")).verifyComplete();
        StepVerifier.create(jobs.onEvents("e2")).expectNext(1, 2, 3).verifyComplete();
        StepVerifier.create(jobs.onEvents("e2")).verifyComplete();
        assertEquals(2, impl.calls.get());
    }

    @Test
    void aFluxHoldsItsPermitUntilItCompletesErrorsOrIsCancelled(Latchkey latchkey) throws Exception {
        JobsImpl impl = new JobsImpl();
        Jobs jobs = LatchkeyProxies.of(latchkey).proxy(Jobs.class, impl);
        var semaphore = Semaphores.of(latchkey).semaphore("rx-stream", 1);
        Sinks.Many<Integer> elements = Sinks.many().unicast().onBackpressureBuffer();
        List<Integer> seen = new CopyOnWriteArrayList<>();
        CountDownLatch firstElement = new CountDownLatch(1);
        CompletableFuture<List<Integer>> done = new CompletableFuture<>();
        List<Integer> permitsAtComplete = new CopyOnWriteArrayList<>();
        jobs.stream(elements.asFlux()).doOnNext(seen::add).doOnNext(x -> firstElement.countDown())
                .doOnComplete(() -> permitsAtComplete.add(semaphore.availablePermits()))
                .collectList().subscribe(done::complete, done::completeExceptionally);
        elements.tryEmitNext(1);
        assertTrue(firstElement.await(10, TimeUnit.SECONDS));
        assertEquals(0, semaphore.availablePermits(), "held while the Flux emits");
        StepVerifier.create(jobs.stream(Flux.just(9)))
                .expectError(ConcurrencyLimitExceededException.class).verify(WAIT);
        elements.tryEmitNext(2);
        elements.tryEmitComplete();
        assertEquals(List.of(1, 2), done.get(10, TimeUnit.SECONDS));
        assertEquals(List.of(1), permitsAtComplete, "released before onComplete reached the subscriber");

        // an error after some elements: the elements arrive, the permit is back when the error does
        List<Integer> permitsAtError = new CopyOnWriteArrayList<>();
        StepVerifier.create(jobs.stream(Flux.just(1, 2).concatWith(Flux.error(new IllegalStateException("boom"))))
                        .doOnError(e -> permitsAtError.add(semaphore.availablePermits())))
                .expectNext(1, 2).expectErrorMessage("boom").verify(WAIT);
        assertEquals(List.of(1), permitsAtError);

        // cancel after the first element releases too
        StepVerifier.create(jobs.stream(Flux.range(1, 1000)), 1).expectNext(1).thenCancel().verify(WAIT);
        Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> semaphore.availablePermits() == 1);
        // take(2) cancels upstream too
        assertEquals(List.of(1, 2), jobs.stream(Flux.range(1, 1000)).take(2).collectList().block(WAIT));
        Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> semaphore.availablePermits() == 1);
        assertEquals(4, impl.calls.get(), "the refused subscription never called the method");
    }

    @Test
    void eachSubscriptionGetsItsOwnFencingToken(Latchkey latchkey) {
        Jobs jobs = LatchkeyProxies.of(latchkey).proxy(Jobs.class, new JobsImpl());
        Mono<Long> fenced = jobs.fenced(0L);
        long first = fenced.block(WAIT);
        long second = fenced.block(WAIT);
        assertTrue(first > 0 && second > first, first + " then " + second);
    }

    interface BadReactive {
        @Idempotent(key = "{0}")
        Flux<String> replayed(String id);
    }

    interface OtherPublisher {
        @DistributedLock(name = "x")
        org.reactivestreams.Publisher<String> publish();
    }

    @Test
    void unsupportedReactiveCombinationsFailAtPlanning(Latchkey latchkey) {
        LatchkeyProxies proxies = LatchkeyProxies.of(latchkey);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> proxies.proxy(BadReactive.class, id -> Flux.empty()));
        assertTrue(e.getMessage().contains("BadReactive.replayed(String): @Idempotent cannot replay a Flux"),
                e.getMessage());
        IllegalArgumentException p = assertThrows(IllegalArgumentException.class,
                () -> proxies.proxy(OtherPublisher.class, () -> Mono.just("x")));
        assertTrue(p.getMessage().contains("return Reactor's Mono or Flux"), p.getMessage());
    }

    /** The seam on a plain class: Spring's reactive beans go through here. */
    static class ReactiveService {
        final AtomicInteger calls = new AtomicInteger();

        @DistributedLock(name = "rx-seam:{0}", lease = "10s")
        public Mono<String> run(String id, Mono<String> work) {
            calls.incrementAndGet();
            return work;
        }
    }

    @Test
    void theSeamAppliesTheSameReactiveSemanticsToAPlainClass(Latchkey latchkey) throws Throwable {
        ReactiveService target = new ReactiveService();
        Method run = ReactiveService.class.getMethod("run", String.class, Mono.class);
        AnnotatedMethod plan = LatchkeyProxies.of(latchkey).plan(ReactiveService.class, run).orElseThrow();
        var lock = Locks.of(latchkey).lock("rx-seam:s");
        Invocation proceed = args -> {
            try {
                return run.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        @SuppressWarnings("unchecked")
        Mono<String> mono = (Mono<String>) plan.invoke(new Object[] {"s",
                Mono.fromCallable(() -> "locked=" + lock.isLocked())}, proceed);
        assertEquals(0, target.calls.get(), "proceed runs on subscription");
        assertEquals("locked=true", mono.block(WAIT));
        assertEquals("locked=true", mono.block(WAIT));
        assertEquals(2, target.calls.get(), "once per subscription");
        assertFalse(lock.isLocked());
    }

    @Test
    void completionStagesStillHoldUntilCompletion(Latchkey latchkey) throws Exception {
        // the future path shares the chain with the reactive one: a regression guard for CompletableFuture methods
        interface Later {
            @DistributedLock(name = "rx-future")
            CompletableFuture<String> later(CompletableFuture<String> work);
        }
        Later later = LatchkeyProxies.of(latchkey).proxy(Later.class, w -> w);
        var lock = Locks.of(latchkey).lock("rx-future");
        CompletableFuture<String> work = new CompletableFuture<>();
        CompletableFuture<String> out = later.later(work);
        Awaitility.await().atMost(10, TimeUnit.SECONDS).until(lock::isLocked);
        work.completeExceptionally(new IllegalStateException("late"));
        ExecutionException e = assertThrows(ExecutionException.class, () -> out.get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof IllegalStateException);
        assertFalse(lock.isLocked(), "released before the future failed");
    }
}
