package io.latchkey.core;

import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * The {@link System.LoggerFinder} of core's tests (registered in {@code META-INF/services}): keeps every record of an
 * {@code io.latchkey} logger, at every level, so a test can check what Latchkey logged; other loggers print
 * INFO and above to stderr. Records are never cleared: tests filter them by logger, level and text.
 */
public final class RecordingLoggerFinder extends System.LoggerFinder {

    /** One log call. */
    public record Entry(String logger, System.Logger.Level level, String message, Throwable thrown) {
    }

    private static final List<Entry> RECORDS = new CopyOnWriteArrayList<>();

    /** The records of {@code io.latchkey} loggers matching {@code filter}, oldest first. */
    public static List<Entry> records(Predicate<Entry> filter) {
        return RECORDS.stream().filter(filter).toList();
    }

    @Override
    public System.Logger getLogger(String name, Module module) {
        boolean ours = name.startsWith("io.latchkey");
        return new System.Logger() {
            @Override
            public String getName() {
                return name;
            }

            @Override
            public boolean isLoggable(Level level) {
                return ours || level.getSeverity() >= Level.INFO.getSeverity();
            }

            @Override
            public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
                if (ours) {
                    RECORDS.add(new Entry(name, level, msg, thrown));
                } else if (isLoggable(level)) {
                    System.err.println(level + " " + name + ": " + msg + (thrown != null ? " " + thrown : ""));
                }
            }

            @Override
            public void log(Level level, ResourceBundle bundle, String format, Object... params) {
                log(level, bundle, params == null || params.length == 0 ? format
                        : java.text.MessageFormat.format(format, params), (Throwable) null);
            }
        };
    }
}
