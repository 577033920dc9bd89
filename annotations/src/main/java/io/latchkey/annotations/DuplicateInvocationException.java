package io.latchkey.annotations;

/** {@link Deduplicated} with {@link Deduplicated.OnDuplicate#THROW}: the key was already seen within its TTL. */
public class DuplicateInvocationException extends CoordinationRejectedException {

    private final String key;

    /** A duplicate call of {@code method} with {@code key}, seen by {@code deduplicator}. */
    public DuplicateInvocationException(String method, String deduplicator, String key) {
        super(method, deduplicator, "duplicate call of " + method + ": key \"" + key + "\" already seen by"
                + " deduplicator \"" + deduplicator + "\"", null);
        this.key = key;
    }

    /** The duplicate key. */
    public String key() {
        return key;
    }
}
