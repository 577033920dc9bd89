package io.latchkey.core.spi;

import java.util.Objects;

/**
 * Key and channel names: {@code <namespace>:{<name>[:<key>]}:<suffix>}. Every key of one primitive instance
 * (and, with a user key, of one limiter/deduplicator entry) shares the hash tag between the braces, so a script's
 * keys always live in one Redis Cluster slot.
 *
 * <p>Names may not contain braces. User keys may contain anything: {@code %}, {@code {}, {@code }} are
 * percent-escaped so the tag stays intact and distinct keys stay distinct; in the keyed form the name's {@code :}
 * is escaped too, so {@code (name "a:b", key "c")} and {@code (name "a", key "b:c")} never collide. Names and keys
 * must be well-formed UTF-16: an unpaired surrogate would reach Redis as {@code ?} and collide with other text.
 */
public final class Keys {

    /** Longest accepted primitive name. */
    public static final int MAX_NAME_LENGTH = 256;
    /** Longest accepted user key (before escaping). */
    public static final int MAX_KEY_LENGTH = 1024;

    private final String prefix;

    public Keys(String namespace) {
        this.prefix = validateNamespace(namespace) + ":";
    }

    /** {@code <namespace>:{<name>}:<suffix>}. The name must have passed {@link #validateName}. */
    public String key(String name, String suffix) {
        return prefix + "{" + name + "}:" + suffix;
    }

    /** {@code <namespace>:{<name>:<escaped key>}:<suffix>}. */
    public String key(String name, String userKey, String suffix) {
        return prefix + "{" + escape(name, true) + ":" + escape(userKey, false) + "}:" + suffix;
    }

    /** The namespace with its trailing colon. */
    public String prefix() {
        return prefix;
    }

    /** Checks a primitive name (lock, limiter, deduplicator, semaphore): no braces, well-formed UTF-16. */
    public static String validateName(String name, String parameter) {
        Arguments.notBlank(name, parameter);
        if (name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException(parameter + " must be at most " + MAX_NAME_LENGTH
                    + " characters, was " + name.length());
        }
        if (name.indexOf('{') >= 0 || name.indexOf('}') >= 0) {
            throw new IllegalArgumentException(parameter + " must not contain '{' or '}' (they delimit the Redis"
                    + " Cluster hash tag), was \"" + name + "\"");
        }
        return Arguments.wellFormed(name, parameter);
    }

    /**
     * Checks a user key (a user id, a message id...) and returns it. Any characters are allowed, as long as the text
     * is well-formed UTF-16 (see {@link Arguments#wellFormed}).
     */
    public static String validateKey(String key, String parameter) {
        Objects.requireNonNull(key, parameter);
        if (key.isEmpty()) {
            throw new IllegalArgumentException(parameter + " must not be empty");
        }
        if (key.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException(parameter + " must be at most " + MAX_KEY_LENGTH
                    + " characters, was " + key.length());
        }
        return Arguments.wellFormed(key, parameter);
    }

    /** Checks a namespace: non-blank, at most 64 characters of letters, digits and {@code - _ . :}. */
    public static String validateNamespace(String namespace) {
        Arguments.notBlank(namespace, "namespace");
        if (namespace.length() > 64 || !namespace.matches("[A-Za-z0-9_.:\\-]+")) {
            throw new IllegalArgumentException("namespace must be 1-64 characters of letters, digits and '-_.:'"
                    + " (no braces or spaces), was \"" + namespace + "\"");
        }
        return namespace;
    }

    static String escape(String s, boolean escapeColon) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String rep = switch (c) {
                case '%' -> "%25";
                case '{' -> "%7B";
                case '}' -> "%7D";
                case ':' -> escapeColon ? "%3A" : null;
                default -> null;
            };
            if (rep != null && out == null) {
                out = new StringBuilder(s.length() + 8).append(s, 0, i);
            }
            if (out != null) {
                if (rep != null) {
                    out.append(rep);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? s : out.toString();
    }
}
