package io.latchkey.core.spi;

import java.security.SecureRandom;
import java.util.Base64;

/** Random 128-bit owner and request ids, URL-safe base64 (22 characters). */
public final class Ids {

    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(SecureRandom::new);
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private Ids() {
    }

    /** A new id; collisions are as likely as guessing a random UUID. */
    public static String newId() {
        byte[] bytes = new byte[16];
        RANDOM.get().nextBytes(bytes);
        return ENCODER.encodeToString(bytes);
    }
}
