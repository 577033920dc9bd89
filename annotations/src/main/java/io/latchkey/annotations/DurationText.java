package io.latchkey.annotations;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations written in annotations: ISO-8601 ({@code "PT30S"}, {@code "P1D"}) or one or more number+unit parts
 * ({@code "500ms"}, {@code "30s"}, {@code "1m30s"}, {@code "2h"}, {@code "1d"}; units {@code ms s m h d}), or
 * {@code "0"}.
 */
final class DurationText {

    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private DurationText() {
    }

    /**
     * Parses {@code text}.
     *
     * @param where the attribute, for the message: {@code "@DistributedLock(lease) of OrderService.ship(String)"}
     * @throws IllegalArgumentException naming {@code where} if the text is not a duration
     */
    static Duration parse(String text, String where) {
        String t = text == null ? "" : text.trim();
        if (t.isEmpty()) {
            throw new IllegalArgumentException(where + ": duration is empty");
        }
        String upper = t.toUpperCase(Locale.ROOT);
        if (upper.startsWith("P") || upper.startsWith("-P") || upper.startsWith("+P")) {
            try {
                return Duration.parse(upper);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(where + ": \"" + text + "\" is not an ISO-8601 duration", e);
            }
        }
        if (t.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = PART.matcher(t.toLowerCase(Locale.ROOT));
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.lookingAt()) {
            long n;
            try {
                n = Long.parseLong(m.group(1));
                Duration part = switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
                total = total.plus(part);
            } catch (ArithmeticException | NumberFormatException e) {
                throw new IllegalArgumentException(where + ": \"" + text + "\" is too large", e);
            }
            end = m.end();
            m.region(end, t.length());
        }
        if (end == 0 || end != t.length()) {
            throw new IllegalArgumentException(where + ": \"" + text + "\" is not a duration (write e.g. \"500ms\","
                    + " \"30s\", \"1m30s\", \"2h\", \"1d\" or ISO-8601 \"PT30S\")");
        }
        return total;
    }

    /** Parses a duration that must be a positive whole number of milliseconds. */
    static Duration positive(String text, String where) {
        Duration d = parse(text, where);
        if (d.compareTo(Duration.ofMillis(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException(where + ": \"" + text + "\" is too large"); // toMillis would overflow
        }
        if (d.isNegative() || d.isZero() || d.toMillis() < 1 || !d.equals(Duration.ofMillis(d.toMillis()))) {
            throw new IllegalArgumentException(where + ": must be a positive whole number of milliseconds, was \""
                    + text + "\"");
        }
        return d;
    }

    /** Parses a duration that must be {@code >= 0}. */
    static Duration nonNegative(String text, String where) {
        Duration d = parse(text, where);
        if (d.isNegative()) {
            throw new IllegalArgumentException(where + ": must not be negative, was \"" + text + "\"");
        }
        return d;
    }
}
