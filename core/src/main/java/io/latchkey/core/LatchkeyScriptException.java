package io.latchkey.core;

/**
 * Redis answered with an error (a script error, a wrong key type, an unknown command, an ACL refusal): a permanent
 * failure that retrying will not fix. Rate limiters and deduplicators throw it whatever their failure policy.
 */
public class LatchkeyScriptException extends LatchkeyException {
    /** @param cause Redis's error, may be null */
    public LatchkeyScriptException(String message, Throwable cause) {
        super(message, cause);
    }
}
