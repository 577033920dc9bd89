package io.latchkey.core;

/**
 * Latchkey cannot use the deployment for a reason retrying will not fix: authentication failed (wrong user or
 * password), the database index does not exist, or the TLS handshake failed (untrusted certificate, wrong
 * protocol). The message gives Redis's or the TLS layer's reason; it never contains a password.
 */
public class LatchkeyConfigurationException extends LatchkeyException {
    /** @param cause the underlying reason, may be null */
    public LatchkeyConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
