package io.latchkey.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders the results as two Markdown tables that also read well on a console. */
final class Report {

    private Report() {
    }

    static String results(List<Measurement> measurements) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"area", "benchmark", "threads", "ops/s", "p50 us", "p99 us", "server CPU us/op",
                "client CPU us/op"});
        for (Measurement m : measurements) {
            Case c = m.benchCase();
            if (!m.ok()) {
                rows.add(new String[] {c.area(), c.label(), Integer.toString(c.threads()), "FAILED: " + m.error(),
                        "", "", "", ""});
                continue;
            }
            rows.add(new String[] {c.area(), c.label(), Integer.toString(c.threads()), count(m.opsPerSecond()),
                    micros(m.p50Micros()), micros(m.p99Micros()), cpu(m.serverCpuMicros()),
                    cpu(m.clientCpuMicros())});
        }
        return table(rows, 3);
    }

    static String ratios(List<Target> targets, Map<String, Measurement> results) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"comparison", "issue", "measured", "target", "verdict"});
        for (Target t : targets) {
            double measured = t.measured(results);
            rows.add(new String[] {t.label(), t.issue() == 0 ? "-" : "#" + t.issue(), t.measuredText(measured),
                    t.boundText(), t.verdict(measured)});
        }
        return table(rows, 2);
    }

    /** A Markdown table with padded columns; columns from {@code firstNumeric} on are right-aligned. */
    static String table(List<String[]> rows, int firstNumeric) {
        int cols = rows.get(0).length;
        int[] width = new int[cols];
        for (String[] r : rows) {
            for (int i = 0; i < cols; i++) {
                width[i] = Math.max(width[i], Math.max(3, r[i].length()));
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int n = 0; n < rows.size(); n++) {
            String[] r = rows.get(n);
            appendRow(sb, r, width, firstNumeric);
            if (n == 0) {
                String[] rule = new String[cols];
                for (int i = 0; i < cols; i++) {
                    rule[i] = i >= firstNumeric ? "-".repeat(width[i] - 1) + ":" : "-".repeat(width[i]);
                }
                appendRow(sb, rule, width, firstNumeric);
            }
        }
        return sb.toString();
    }

    private static void appendRow(StringBuilder sb, String[] r, int[] width, int firstNumeric) {
        sb.append('|');
        for (int i = 0; i < r.length; i++) {
            String cell = r[i];
            String pad = " ".repeat(width[i] - cell.length());
            sb.append(' ').append(i >= firstNumeric ? pad + cell : cell + pad).append(" |");
        }
        sb.append('\n');
    }

    static String count(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%,.0f", v);
    }

    static String micros(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, v < 100 ? "%.1f" : "%,.0f", v);
    }

    static String cpu(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, v < 10 ? "%.2f" : "%.1f", v);
    }

    static String num(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
