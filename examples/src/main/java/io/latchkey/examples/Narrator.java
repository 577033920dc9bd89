package io.latchkey.examples;

import java.io.PrintStream;
import java.util.Locale;

/** Plain, colourless console output for the story: numbered section titles and indented lines. */
final class Narrator {

    private final PrintStream out;
    private int section;

    Narrator(PrintStream out) {
        this.out = out;
    }

    void title(String text) {
        out.println(text);
        out.println("=".repeat(text.length()));
        out.println();
    }

    void section(String title) {
        section++;
        out.println();
        String heading = section + ". " + title;
        out.println(heading);
        out.println("-".repeat(heading.length()));
    }

    /** A line of the story; safe to call from several threads. */
    void say(String format, Object... args) {
        out.println("  " + String.format(Locale.ROOT, format, args));
    }

    void blank() {
        out.println();
    }
}
