package io.latchkey.examples;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Latchkey demo: a small fleet of microservices coordinating through Redis. It starts three embedded
 * {@code redis-server} nodes (or uses {@code --redis uri[,uri...]}), tells the story section by section and exits
 * 0. Run it with {@code ./mvnw -q -B -pl examples -am compile exec:java}.
 */
public final class Demo {

    // Lettuce logs reconnect attempts through java.util.logging when a node dies; the story tells that itself.
    // Held in fields: JUL keeps loggers weakly, and a collected logger forgets its level.
    private static final List<Logger> QUIET = List.of(Logger.getLogger("io.lettuce"), Logger.getLogger("io.netty"));

    private Demo() {
    }

    public static void main(String[] args) {
        int code = run(args, System.out);
        // Lettuce and redis-server helpers are closed by now; exit explicitly so exec:java returns at once
        System.exit(code);
    }

    /** Runs the whole story; returns the process exit code (0 when every section completed). */
    static int run(String[] args, PrintStream out) {
        List<String> uris = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--redis") && i + 1 < args.length) {
                uris = Arrays.stream(args[++i].split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
            } else if (args[i].startsWith("--redis=")) {
                uris = Arrays.stream(args[i].substring("--redis=".length()).split(","))
                        .map(String::trim).filter(s -> !s.isEmpty()).toList();
            } else {
                out.println("usage: Demo [--redis redis://host:6379[,redis://host2:6379,...]]");
                out.println("  without --redis the demo starts three embedded redis-server nodes;");
                out.println("  with one URI the Redlock chapter is skipped (it needs several independent nodes)");
                return args[i].equals("--help") || args[i].equals("-h") ? 0 : 2;
            }
        }
        QUIET.forEach(l -> l.setLevel(Level.SEVERE));
        Narrator say = new Narrator(out);
        say.title("Latchkey demo: a microservice fleet coordinating through Redis");
        Fleet fleet;
        if (uris == null || uris.isEmpty()) {
            out.println("Starting 3 embedded redis-server nodes ...");
            fleet = Fleet.embedded(3);
            fleet.ownedNode(0).ifPresent(n -> out.println("Redis " + n.version() + " on " + String.join(", ",
                    fleet.uris())));
        } else {
            fleet = Fleet.external(uris);
            out.println("Using Redis at " + String.join(", ", uris));
        }
        try (fleet) {
            for (Section section : sections()) {
                say.section(section.title());
                section.run(fleet, say);
            }
            say.blank();
            out.println("The end: every chapter ran against real Redis; keys expire on their own.");
            return 0;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            out.println();
            out.println("The demo failed: " + e);
            e.printStackTrace(out);
            return 1;
        }
    }

    static List<Section> sections() {
        return List.of(
                new LockSection(),
                new RateLimitSection(),
                new DedupSection(),
                new SemaphoreSection(),
                new AnnotatedServiceSection(),
                new RedlockSection());
    }
}
