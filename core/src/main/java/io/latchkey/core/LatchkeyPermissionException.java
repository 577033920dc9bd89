package io.latchkey.core;

/**
 * Redis refused a command by its ACL ({@code NOPERM}) or because the connection is not authenticated
 * ({@code NOAUTH}): the deployment's user lacks a command, key or channel permission. Permanent until the ACL
 * changes; see docs/security.md for the permissions Latchkey needs.
 */
public class LatchkeyPermissionException extends LatchkeyScriptException {
    /** @param cause Redis's error, may be null */
    public LatchkeyPermissionException(String message, Throwable cause) {
        super(message, cause);
    }
}
