package io.latchkey.core.spi;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.Latchkey;
import io.latchkey.core.spi.EventDrivenWait.Attempt;
import io.latchkey.testing.EmbeddedRedis;
import io.latchkey.testing.RedisTest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link EventDrivenWait} for a primitive that hands itself over: messages read by {@code onMessage} (null = not for
 * me, acquired = a hand-over, retryNow = try again), attempts completed by hand, messages published on a real Redis.
 */
@RedisTest
class EventDrivenWaitHandOverTest {

    private static final Duration PATIENCE = Duration.ofSeconds(5);
    // the timer re-check (30 s) never fires within a test: every attempt after the second comes from a message
    private static final Duration MAX_WAIT = Duration.ofSeconds(60);
    private static final Duration MAX_RECHECK = Duration.ofSeconds(30);
    private static final Attempt<String> REFUSED = Attempt.retryAfter(Duration.ofSeconds(30));

    private EmbeddedRedis redis;
    private Latchkey latchkey;

    @BeforeEach
    void connect(EmbeddedRedis redis, Latchkey latchkey) {
        this.redis = redis;
        this.latchkey = latchkey;
    }

    /** Attempts the test completes by hand, in the order the wait made them. */
    static final class Attempts implements Supplier<CompletableFuture<Attempt<String>>> {
        final List<CompletableFuture<Attempt<String>>> made = new CopyOnWriteArrayList<>();

        @Override
        public CompletableFuture<Attempt<String>> get() {
            CompletableFuture<Attempt<String>> f = new CompletableFuture<>();
            made.add(f);
            return f;
        }

        CompletableFuture<Attempt<String>> nth(int i) {
            await().atMost(PATIENCE).until(() -> made.size() > i);
            return made.get(i);
        }

        int count() {
            return made.size();
        }
    }

    /** Reads "{@code <request> <value>}" as a hand-over to {@code me}, "retry" as try again, the rest as not mine. */
    private static Function<String, Attempt<String>> reader(String me, List<String> seen) {
        return message -> {
            seen.add(message);
            if (message.equals("boom")) {
                throw new IllegalStateException("unreadable");
            }
            if (message.equals("retry")) {
                return Attempt.retryNow();
            }
            return message.startsWith(me + " ") ? Attempt.acquired(message.substring(me.length() + 1)) : null;
        };
    }

    /** A wait that tried once, subscribed, tried again (both refused, second left pending when asked). */
    private CompletableFuture<Optional<String>> subscribedWait(String channel, Attempts attempts,
                                                                       List<String> seen, List<String> abandoned,
                                                                       boolean leaveSecondPending) {
        CompletableFuture<Optional<String>> wait = EventDrivenWait.start(latchkey, channel, MAX_WAIT, MAX_RECHECK,
                attempts, reader("me", seen), abandoned::add);
        attempts.nth(0).complete(REFUSED);
        CompletableFuture<Attempt<String>> second = attempts.nth(1); // made once the subscription is confirmed
        if (!leaveSecondPending) {
            second.complete(REFUSED);
        }
        assertEquals(1L, subscribers(channel));
        return wait;
    }

    private void publish(String channel, String message) {
        redis.command("PUBLISH", channel, message);
    }

    @SuppressWarnings("unchecked")
    private long subscribers(String channel) {
        return (Long) ((List<Object>) redis.command("PUBSUB", "NUMSUB", channel)).get(1);
    }

    @Test
    void aMessageForAnotherRequestIsIgnored() throws Exception {
        Attempts attempts = new Attempts();
        List<String> seen = new CopyOnWriteArrayList<>();
        List<String> abandoned = new CopyOnWriteArrayList<>();
        CompletableFuture<Optional<String>> wait = subscribedWait("hw:other", attempts, seen, abandoned, false);
        publish("hw:other", "someone-else 7");
        await().atMost(PATIENCE).until(() -> seen.contains("someone-else 7"));
        // neither delivered nor woken
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> attempts.count() == 2 && !wait.isDone());
        // still listening: a "try again" message makes exactly one attempt
        publish("hw:other", "retry");
        attempts.nth(2).complete(Attempt.acquired("x"));
        assertEquals(Optional.of("x"), wait.get(5, TimeUnit.SECONDS));
        assertEquals(3, attempts.count(), "the foreign message caused no attempt of its own");
        assertTrue(abandoned.isEmpty());
        await().atMost(PATIENCE).until(() -> subscribers("hw:other") == 0L);
    }

    @Test
    void aHandOverMessageDeliversWithoutAnotherAttempt() throws Exception {
        Attempts attempts = new Attempts();
        List<String> seen = new CopyOnWriteArrayList<>();
        List<String> abandoned = new CopyOnWriteArrayList<>();
        CompletableFuture<Optional<String>> wait = subscribedWait("hw:handover", attempts, seen, abandoned, false);
        publish("hw:handover", "me 42");
        assertEquals(Optional.of("42"), wait.get(5, TimeUnit.SECONDS));
        assertEquals(2, attempts.count(), "the message itself was the grant: no round trip after it");
        assertTrue(abandoned.isEmpty());
        await().atMost(PATIENCE).until(() -> subscribers("hw:handover") == 0L);
    }

    @Test
    void theSameGrantSeenByMessageAndByReplyIsDeliveredOnceAndNotAbandoned() throws Exception {
        Attempts attempts = new Attempts();
        List<String> seen = new CopyOnWriteArrayList<>();
        List<String> abandoned = new CopyOnWriteArrayList<>();
        CompletableFuture<Optional<String>> wait = subscribedWait("hw:dup", attempts, seen, abandoned, true);
        publish("hw:dup", "me 42"); // the hand-over lands while an attempt is in flight
        assertEquals(Optional.of("42"), wait.get(5, TimeUnit.SECONDS));
        attempts.nth(1).complete(Attempt.acquired("42")); // ...whose reply reports the same grant
        assertTrue(abandoned.isEmpty(), "a grant already delivered must not be released: " + abandoned);
        assertEquals(Optional.of("42"), wait.getNow(null));
    }

    @Test
    void onceDeliveredByReplyTheWaitStopsReadingMessages() throws Exception {
        Attempts attempts = new Attempts();
        List<String> seen = new CopyOnWriteArrayList<>();
        List<String> abandoned = new CopyOnWriteArrayList<>();
        CompletableFuture<Optional<String>> wait = subscribedWait("hw:dup2", attempts, seen, abandoned, false);
        // a second listener on the same channel keeps it subscribed after the wait unsubscribes
        List<String> other = new CopyOnWriteArrayList<>();
        Notifications.Subscription keep = Internals.of(latchkey).notifications().subscribe("hw:dup2", (String m) -> other.add(m))
                .get(5, TimeUnit.SECONDS);
        publish("hw:dup2", "retry");
        attempts.nth(2).complete(Attempt.acquired("42"));
        assertEquals(Optional.of("42"), wait.get(5, TimeUnit.SECONDS));
        publish("hw:dup2", "me 42");
        await().atMost(PATIENCE).until(() -> other.contains("me 42"));
        assertFalse(seen.contains("me 42"), "the finished wait no longer listens");
        assertTrue(abandoned.isEmpty(), "the same grant by message must not be released: " + abandoned);
        keep.close();
    }

    @Test
    void aGrantArrivingAfterCancelIsAbandoned() throws Exception {
        Attempts attempts = new Attempts();
        List<String> seen = new CopyOnWriteArrayList<>();
        List<String> abandoned = new CopyOnWriteArrayList<>();
        CompletableFuture<Optional<String>> wait = subscribedWait("hw:cancel", attempts, seen, abandoned, true);
        assertTrue(wait.cancel(false));
        attempts.nth(1).complete(Attempt.acquired("late"));
        assertEquals(List.of("late"), abandoned, "granted after the caller gave up: released");
        await().atMost(PATIENCE).until(() -> subscribers("hw:cancel") == 0L);
    }

    @Test
    void aRetryMessageOrAnUnreadableOneMakesOneAttempt() throws Exception {
        Attempts attempts = new Attempts();
        List<String> seen = new CopyOnWriteArrayList<>();
        List<String> abandoned = new CopyOnWriteArrayList<>();
        CompletableFuture<Optional<String>> wait = subscribedWait("hw:retry", attempts, seen, abandoned, false);
        publish("hw:retry", "retry");
        attempts.nth(2).complete(REFUSED);
        publish("hw:retry", "boom"); // onMessage throws: something changed, try again
        attempts.nth(3).complete(REFUSED);
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> attempts.count() == 4);
        assertFalse(wait.isDone());
        wait.cancel(false);
        assertTrue(abandoned.isEmpty());
    }

    @Test
    void aWaitListensBeforeItsFirstAttemptWhenTheChannelIsAlreadySubscribed() throws Exception {
        Attempts first = new Attempts();
        List<String> seen = new CopyOnWriteArrayList<>();
        List<String> abandoned = new CopyOnWriteArrayList<>();
        CompletableFuture<Optional<String>> a = subscribedWait("hw:early", first, seen, abandoned, false);

        Attempts second = new Attempts();
        List<String> seenB = new CopyOnWriteArrayList<>();
        CompletableFuture<Optional<String>> b = EventDrivenWait.start(latchkey, "hw:early", MAX_WAIT, MAX_RECHECK,
                second, reader("b", seenB), abandoned::add);
        CompletableFuture<Attempt<String>> firstTry = second.nth(0);
        // the hand-over to b lands while b's very first attempt is still in flight
        publish("hw:early", "b 9");
        assertEquals(Optional.of("9"), b.get(5, TimeUnit.SECONDS), "b listened before its first attempt");
        firstTry.complete(REFUSED);
        assertEquals(1, second.count(), "delivered by the message alone");
        assertFalse(a.isDone(), "a message for b is not a's");
        assertEquals(2, first.count());
        assertTrue(abandoned.isEmpty());
        a.cancel(false);
        await().atMost(PATIENCE).until(() -> subscribers("hw:early") == 0L);
    }

    @Test
    void aConsumerListenerReadsThePayloadAndAFaultyOneDoesNotStarveOthers() throws Exception {
        List<String> got = new CopyOnWriteArrayList<>();
        Notifications.Subscription faulty = Internals.of(latchkey).notifications()
                .subscribe("hw:payload", (String m) -> {
                    throw new IllegalStateException("faulty listener");
                }).get(5, TimeUnit.SECONDS);
        Notifications.Subscription reader = Internals.of(latchkey).notifications().subscribe("hw:payload", (String m) -> got.add(m))
                .get(5, TimeUnit.SECONDS);
        publish("hw:payload", "owner-1 12345678901234567");
        publish("hw:payload", "second");
        await().atMost(PATIENCE).until(() -> got.size() == 2);
        assertEquals(List.of("owner-1 12345678901234567", "second"), got, "payloads, in publish order");
        faulty.close();
        reader.close();
        await().atMost(PATIENCE).until(() -> subscribers("hw:payload") == 0L);
    }
}
