package io.latchkey.semaphore;

import java.time.Duration;
import java.util.Objects;

/**
 * A live permit as seen by Redis: its id and how much of its lease is left (Redis time).
 *
 * @param permitId  the permit's id, as {@link Permit#id()}
 * @param remaining the remaining lease, positive
 */
public record PermitHolder(String permitId, Duration remaining) {

    /** Checks the components. */
    public PermitHolder {
        Objects.requireNonNull(permitId, "permitId");
        Objects.requireNonNull(remaining, "remaining");
    }
}
