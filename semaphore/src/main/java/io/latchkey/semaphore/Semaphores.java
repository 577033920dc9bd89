package io.latchkey.semaphore;

import io.latchkey.core.Latchkey;
import io.latchkey.core.spi.Arguments;
import io.latchkey.core.spi.Keys;
import java.util.Objects;

/**
 * Creates {@link DistributedSemaphore}s on one {@link Latchkey} client.
 *
 * <pre>{@code
 * DistributedSemaphore uploads = Semaphores.of(latchkey).semaphore("uploads", 10);
 * }</pre>
 */
public final class Semaphores {

    private final Latchkey latchkey;

    private Semaphores(Latchkey latchkey) {
        this.latchkey = latchkey;
    }

    /** Semaphores on {@code latchkey}. */
    public static Semaphores of(Latchkey latchkey) {
        return new Semaphores(Objects.requireNonNull(latchkey, "latchkey"));
    }

    /**
     * A semaphore with the default options. Sends nothing to Redis: the state is created by the first acquire.
     *
     * @param name    the semaphore's name (no braces, at most 256 characters); also the bounded metrics tag
     * @param permits the initial limit, {@code > 0}; an existing stored limit (after {@link
     *                DistributedSemaphore#resize}) takes precedence while the semaphore's state lives
     */
    public DistributedSemaphore semaphore(String name, int permits) {
        return semaphore(name, permits, SemaphoreOptions.defaults());
    }

    /** As {@link #semaphore(String, int)} with options. */
    public DistributedSemaphore semaphore(String name, int permits, SemaphoreOptions options) {
        Keys.validateName(name, "name");
        Arguments.positive(permits, "permits");
        Objects.requireNonNull(options, "options");
        return new RedisSemaphore(latchkey, name, permits, options);
    }
}
