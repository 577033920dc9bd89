package io.latchkey.chaos;

import java.util.List;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/** Prints every chaos scenario's summary line once all tests of the JVM have run (registered via ServiceLoader). */
public final class ChaosSummaryListener implements LauncherSessionListener {

    /** Called by the JUnit Platform through {@code META-INF/services}. */
    public ChaosSummaryListener() {
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        List<String> lines = ChaosSummary.lines();
        if (lines.isEmpty()) {
            return;
        }
        StringBuilder b = new StringBuilder("\n== chaos summary (").append(lines.size())
                .append(" scenarios; also in target/chaos/summary.txt) ==\n");
        lines.forEach(l -> b.append(l).append('\n'));
        System.out.print(b);
        System.out.flush();
    }
}
