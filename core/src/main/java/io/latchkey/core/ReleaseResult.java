package io.latchkey.core;

/** What a {@link LockLease#release()} found. None of them is an error: a release is always safe to call. */
public enum ReleaseResult {

    /** This lease held the lock and removed it. */
    RELEASED,

    /** The lock was gone: the lease had expired (or was force-released) and nobody holds it now. */
    ALREADY_GONE,

    /** The lease had expired (or was force-released) and another owner holds the lock now; it was left alone. */
    TAKEN_OVER;

    /** Whether this lease still held the lock when the release arrived. */
    public boolean wasHeld() {
        return this == RELEASED;
    }
}
