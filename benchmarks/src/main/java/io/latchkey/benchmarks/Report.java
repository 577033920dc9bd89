package io.latchkey.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders the results as two Markdown tables that also read well on a console. */
final class Report {

    private Report() {
    }

    /** One row per case: the median over the rounds, with the spread of its throughput. */
    static String results(List<List<Measurement>> perCase) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"area", "benchmark", "threads", "ops/s", "ops/s min-max", "p50 us", "p99 us",
                "server CPU us/op", "client CPU us/op", "Redis cmds/op", "client B/op"});
        for (List<Measurement> rounds : perCase) {
            Measurement m = Measurement.median(rounds);
            Case c = m.benchCase();
            if (!m.ok()) {
                rows.add(new String[] {c.area(), c.label(), Integer.toString(c.threads()), "FAILED: " + m.error(),
                        "", "", "", "", "", "", ""});
                continue;
            }
            double[] ops = Target.spread(rounds.stream().map(Measurement::opsPerSecond).toList());
            rows.add(new String[] {c.area(), c.label(), Integer.toString(c.threads()), count(m.opsPerSecond()),
                    rounds.size() < 2 ? "-" : count(ops[1]) + "-" + count(ops[2]),
                    micros(m.p50Micros()), micros(m.p99Micros()), cpu(m.serverCpuMicros()),
                    cpu(m.clientCpuMicros()), cpu(m.commandsPerOp()), count(m.bytesPerOp())});
        }
        return table(rows, 3);
    }

    /** One row per target: the median of its per-round ratios, their min-max, and the verdict. */
    static String ratios(List<Target> targets, List<Map<String, Measurement>> rounds) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"comparison", "issue", "median", "min-max", "CPU ratio", "target", "floor allows",
                "verdict"});
        for (Target t : targets) {
            List<Double> measured = rounds.stream().map(t::measured).toList();
            double[] m = Target.spread(measured);
            double ceiling = Target.spread(rounds.stream().map(t::ceiling).toList())[0];
            double cpu = Target.spread(rounds.stream().map(t::cpuRatio).toList())[0];
            rows.add(new String[] {t.label(), t.issue() == 0 ? "-" : "#" + t.issue(), t.measuredText(m[0]),
                    rounds.size() < 2 || Double.isNaN(m[1]) ? "-" : num(m[1]) + "-" + num(m[2]),
                    Double.isNaN(cpu) ? "-" : num(cpu) + "x", t.boundText(), Double.isNaN(ceiling) ? "-" : t.measuredText(ceiling), t.verdict(m[0], ceiling)});
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
