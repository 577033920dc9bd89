package io.latchkey.core.spi;

import io.latchkey.core.LatchkeyException;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Wake-ups over the one pub/sub connection of a {@code Latchkey}: waiters subscribe to a channel (the primitive's
 * release channel), scripts PUBLISH to it on release. The connection opens on the first subscription; a channel is
 * subscribed once however many waiters listen, and unsubscribed when the last leaves. Messages can be lost (during a
 * reconnect, for instance), so every waiter also re-checks on a timer: see {@link EventDrivenWait}.
 */
public final class Notifications implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Notifications.class.getName());

    private final Supplier<CompletableFuture<StatefulRedisPubSubConnection<String, String>>> connector;
    private final Executor callbacks;
    private final Map<String, Channel> channels = new HashMap<>();
    private StatefulRedisPubSubConnection<String, String> connection;
    private CompletableFuture<StatefulRedisPubSubConnection<String, String>> connecting;
    private boolean closed;

    public Notifications(Supplier<CompletableFuture<StatefulRedisPubSubConnection<String, String>>> connector,
                         Executor callbacks) {
        this.connector = connector;
        this.callbacks = callbacks;
    }

    /** A registered listener; closing it unsubscribes the channel when it was the last one. */
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    private static final class Channel {
        final Set<Consumer<String>> listeners = new CopyOnWriteArraySet<>();
        CompletableFuture<Void> subscribed;
    }

    /**
     * Registers {@code onMessage} for {@code channel}; it runs on the shared scheduler for every message. The future
     * completes once Redis confirmed the subscription, so a check made after it cannot miss a message published
     * after that check.
     */
    public CompletableFuture<Subscription> subscribe(String channel, Runnable onMessage) {
        Objects.requireNonNull(onMessage, "onMessage");
        return subscribe(channel, inScheduler(channel, onMessage));
    }

    /**
     * As {@link #subscribe(String, Runnable)}, for listeners that read the message: {@code onMessage} runs on the
     * Lettuce event thread that received it, so it must be quick and must never block.
     */
    public CompletableFuture<Subscription> subscribe(String channel, Consumer<String> onMessage) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(onMessage, "onMessage");
        CompletableFuture<StatefulRedisPubSubConnection<String, String>> connected;
        synchronized (this) {
            if (closed) {
                return CompletableFuture.failedFuture(new io.latchkey.core.LatchkeyClosedException("Latchkey is closed", null));
            }
            connected = connect();
        }
        // The connection opens asynchronously: callers run on Lettuce I/O threads, which must never block.
        return connected.thenCompose(c -> register(c, channel, onMessage));
    }

    private CompletableFuture<Subscription> register(StatefulRedisPubSubConnection<String, String> c, String channel,
                                                     Consumer<String> onMessage) {
        Channel state;
        synchronized (this) {
            if (closed) {
                return CompletableFuture.failedFuture(new io.latchkey.core.LatchkeyClosedException("Latchkey is closed", null));
            }
            state = channels.get(channel);
            if (state == null) {
                Channel created = new Channel();
                channels.put(channel, created);
                created.subscribed = c.async().subscribe(channel).toCompletableFuture();
                state = created;
            }
            state.listeners.add(onMessage);
        }
        Channel registered = state;
        Subscription subscription = () -> unsubscribe(channel, registered, onMessage);
        return registered.subscribed.handle((ok, failure) -> {
            if (failure != null) {
                subscription.close();
                throw Failures.translate(failure);
            }
            return subscription;
        });
    }

    /**
     * Registers {@code onMessage} at once when {@code channel} is already subscribed and confirmed on this client
     * (another waiter listens to it), so a waiter can listen before its first try at no cost; otherwise registers
     * nothing and returns {@code null}.
     */
    public synchronized Subscription subscribeIfActive(String channel, Consumer<String> onMessage) {
        Channel state = channels.get(channel);
        if (closed || state == null || !state.subscribed.isDone() || state.subscribed.isCompletedExceptionally()) {
            return null;
        }
        state.listeners.add(onMessage);
        return () -> unsubscribe(channel, state, onMessage);
    }

    private Consumer<String> inScheduler(String channel, Runnable onMessage) {
        Runnable logged = () -> {
            try {
                onMessage.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "a listener of channel " + channel + " threw", e);
            }
        };
        return message -> {
            try {
                callbacks.execute(logged);
            } catch (RuntimeException ignored) {
                // scheduler shut down: the client is closing
            }
        };
    }

    private void unsubscribe(String channel, Channel state, Consumer<String> listener) {
        synchronized (this) {
            if (!state.listeners.remove(listener) || !state.listeners.isEmpty() || channels.get(channel) != state) {
                return;
            }
            channels.remove(channel);
            if (connection != null && !closed) {
                // Commands on one connection run in order, so a later SUBSCRIBE of the same channel wins.
                connection.async().unsubscribe(channel);
            }
        }
    }

    /** Number of channels currently subscribed; for tests and metrics. */
    public synchronized int subscribedChannels() {
        return channels.size();
    }

    /** Starts (once) or returns the connection attempt; a failed attempt is forgotten so the next one retries. */
    private CompletableFuture<StatefulRedisPubSubConnection<String, String>> connect() {
        if (connecting != null) {
            return connecting;
        }
        CompletableFuture<StatefulRedisPubSubConnection<String, String>> attempt;
        try {
            attempt = connector.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(Failures.translate(e));
        }
        CompletableFuture<StatefulRedisPubSubConnection<String, String>> ready = attempt.handle((c, failure) -> {
            boolean closeNow;
            synchronized (this) {
                if (failure != null) {
                    connecting = null;
                    throw Failures.translate(failure);
                }
                c.addListener(new RedisPubSubAdapter<>() {
                    @Override
                    public void message(String channel, String message) {
                        dispatch(channel, message);
                    }
                });
                connection = c;
                closeNow = closed;
            }
            if (closeNow) {
                c.closeAsync();
                throw new io.latchkey.core.LatchkeyClosedException("Latchkey is closed", null);
            }
            return c;
        });
        connecting = ready;
        return ready;
    }

    private void dispatch(String channel, String message) {
        Channel state;
        synchronized (this) {
            state = channels.get(channel);
        }
        if (state != null) {
            for (Consumer<String> listener : state.listeners) {
                try {
                    listener.accept(message);
                } catch (RuntimeException e) {
                    // one faulty listener must not starve the others of their messages
                    LOG.log(System.Logger.Level.WARNING, "a listener of channel " + channel + " threw", e);
                }
            }
        }
    }

    @Override
    public void close() {
        StatefulRedisPubSubConnection<String, String> c;
        synchronized (this) {
            closed = true;
            channels.clear();
            c = connection;
            connection = null;
        }
        if (c != null) {
            // Outside the monitor: closing waits for the event loop, which may be blocked in dispatch() on it.
            c.close();
        }
        // an attempt still connecting closes its connection when it completes (see connect())
    }
}
