package io.latchkey.chaos;

import io.latchkey.core.spi.Failures;
import io.latchkey.core.LatchkeyException;
import io.latchkey.core.LatchkeyUnavailableException;

/** How an operation ended, as its caller saw it. */
enum Outcome {
    /** Completed with an answer. */
    OK,
    /** Definitely did not take effect (the client rejected it before sending). */
    FAIL,
    /** Timed out or the connection broke: it may or may not have taken effect. */
    UNKNOWN;

    /** Only "rejected while disconnected" proves a command never ran; everything else may have landed. */
    static Outcome of(Throwable failure) {
        Throwable t = Failures.unwrap(failure);
        return t instanceof LatchkeyUnavailableException ? FAIL : UNKNOWN;
    }
}
