package io.latchkey.core;

/**
 * What a {@link Lease#release()} found. None of them is an error: a release is always safe to call. A semaphore
 * permit answers {@link #RELEASED} or {@link #ALREADY_GONE}: permits have no single slot another owner could take.
 */
public enum ReleaseResult {

    /** This lease was still held and is now given back. */
    RELEASED,

    /** The lease was gone: it had expired (or a lock was force-released) and nobody holds it now. */
    ALREADY_GONE,

    /** A lock lease had expired (or was force-released) and another owner holds the lock now; it was left alone. */
    TAKEN_OVER;

    /** Whether this lease was still held when the release arrived. */
    public boolean wasHeld() {
        return this == RELEASED;
    }
}
