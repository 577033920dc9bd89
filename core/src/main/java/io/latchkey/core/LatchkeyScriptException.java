package io.latchkey.core;

/** Redis executed the call and answered with an error (for example a script error or a wrong key type). */
public class LatchkeyScriptException extends LatchkeyException {
    public LatchkeyScriptException(String message, Throwable cause) {
        super(message, cause);
    }
}
