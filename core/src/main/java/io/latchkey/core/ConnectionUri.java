package io.latchkey.core;

import io.lettuce.core.RedisURI;
import io.lettuce.core.SslVerifyMode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Parsing and checking of the connection URI, with its password kept out of every message: a URI is echoed only
 * redacted ({@code redis://user:***@host}), and a parser's exception, whose message quotes the whole input, never
 * becomes a cause.
 */
final class ConnectionUri {

    static final String MASK = "***";

    private ConnectionUri() {
    }

    /** Parses {@code uri}; an {@link IllegalArgumentException} names the problem with the URI redacted. */
    static RedisURI parse(String uri) {
        try {
            return RedisURI.create(uri);
        } catch (RuntimeException e) {
            // no cause: URISyntaxException and Lettuce quote the raw input, password included
            throw new IllegalArgumentException("uri is not a valid Redis URI (" + redact(uri) + "): "
                    + reason(e, uri));
        }
    }

    /**
     * The TLS options must say what happens: certificate checks are never switched off by a URI parameter alone,
     * and trusted certificates are never silently ignored.
     */
    static void checkTls(String uri, Path trustedCertificates, boolean insecureSkipVerify) {
        RedisURI parsed = parse(uri);
        if (trustedCertificates != null && !parsed.isSsl()) {
            throw new IllegalArgumentException("trustedCertificates needs a TLS URI (rediss://), but uri "
                    + redact(uri) + " does not use TLS: the certificates would be ignored");
        }
        boolean unverified = parsed.isSsl() && parsed.getVerifyMode() == SslVerifyMode.NONE;
        if (unverified && !insecureSkipVerify) {
            throw new IllegalArgumentException("uri " + redact(uri) + " has verifyPeer=NONE, which accepts any"
                    + " server certificate (anyone on the path can impersonate Redis); call insecureSkipVerify(true)"
                    + " to allow it deliberately");
        }
        if (trustedCertificates != null && (unverified || parsed.isSsl() && insecureSkipVerify)) {
            throw new IllegalArgumentException("trustedCertificates has no effect when certificates are not"
                    + " verified (verifyPeer=NONE / insecureSkipVerify): use one or the other");
        }
    }

    /**
     * The URI with the password of its user information replaced by {@value #MASK}; with no user name the whole user
     * information is the password ({@code redis://password@host}). Works on malformed input too: everything between
     * the scheme and the last {@code @} counts as user information.
     */
    static String redact(String uri) {
        int[] secret = secretRange(uri);
        return secret == null ? uri : uri.substring(0, secret[0]) + MASK + uri.substring(secret[1]);
    }

    /** Where the password is in {@code uri}: {start, end}, or null when there is no user information. */
    private static int[] secretRange(String uri) {
        if (uri == null) {
            return null;
        }
        int scheme = uri.indexOf("://");
        int start = scheme < 0 ? 0 : scheme + 3;
        int at = uri.lastIndexOf('@');
        if (at < start) {
            return null;
        }
        int colon = uri.indexOf(':', start);
        return new int[] {colon >= 0 && colon < at ? colon + 1 : start, at};
    }

    /** Replaces every appearance of {@code uri} in {@code text} by its redacted form; null stays null. */
    static String redactIn(String text, String uri) {
        if (text == null || uri == null) {
            return text;
        }
        String out = text.replace(uri, redact(uri));
        String secret = secret(uri);
        if (secret.isEmpty()) {
            return out;
        }
        out = out.replace(secret, MASK);
        String decoded = decoded(secret);
        return decoded.isEmpty() ? out : out.replace(decoded, MASK);
    }

    /** The parser's reason without the input it quoted; just the exception type if the password still shows. */
    private static String reason(RuntimeException e, String uri) {
        String message = e.getMessage() == null ? "" : e.getMessage().replace(uri, "<uri>");
        String secret = secret(uri);
        String decoded = decoded(secret);
        boolean leaks = !secret.isEmpty() && message.contains(secret) || !decoded.isEmpty() && message.contains(decoded);
        return leaks || message.isEmpty() ? e.getClass().getSimpleName() : message;
    }

    /** The raw (still percent-encoded) password part of the URI, or "" when there is none. */
    private static String secret(String uri) {
        int[] secret = secretRange(uri);
        return secret == null ? "" : uri.substring(secret[0], secret[1]);
    }

    private static String decoded(String secret) {
        try {
            return URLDecoder.decode(secret, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return "";
        }
    }
}
