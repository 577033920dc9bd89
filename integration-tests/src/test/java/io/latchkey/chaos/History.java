package io.latchkey.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The operations and faults of one run, timed on one {@link System#nanoTime()} clock (stored relative to the
 * history's origin). Thread-safe: workers and the nemesis append concurrently.
 */
final class History {

    private final long origin;
    private final ConcurrentLinkedQueue<Op> ops = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<FaultEvent> faults = new ConcurrentLinkedQueue<>();

    /** Wall-clock µs at {@link #origin} (Redis TIME reads the same host clock): maps the history clock to it. */
    private final long originEpochMicros;

    History() {
        java.time.Instant wall = java.time.Instant.now();
        this.origin = System.nanoTime();
        this.originEpochMicros = wall.getEpochSecond() * 1_000_000L + wall.getNano() / 1000;
    }

    /** A history instant as wall-clock µs since the epoch (what Redis' TIME would have said, within ~1 ms). */
    long epochMicros(long t) {
        return originEpochMicros + t / 1000;
    }

    /** Now, on the history's clock. */
    long now() {
        return System.nanoTime() - origin;
    }

    /** A nanoTime()-based instant (e.g. a lease deadline computed from System.nanoTime()) on the history's clock. */
    long fromNanoTime(long nanoTime) {
        return nanoTime - origin;
    }

    void add(Op op) {
        ops.add(op);
    }

    void fault(FaultEvent e) {
        faults.add(e);
    }

    /** Every operation, ordered by invoke time. */
    List<Op> ops() {
        List<Op> all = new ArrayList<>(ops);
        all.sort(Comparator.comparingLong(Op::invoke));
        return all;
    }

    /** Every fault, ordered by start time. */
    List<FaultEvent> faults() {
        List<FaultEvent> all = new ArrayList<>(faults);
        all.sort(Comparator.comparingLong(FaultEvent::start));
        return all;
    }

    /** One JSON object per line: faults and operations interleaved by start time. */
    void write(Path file) {
        record Line(long at, String json) {
        }
        List<Line> lines = new ArrayList<>();
        ops().forEach(o -> lines.add(new Line(o.invoke(), o.toJson())));
        faults().forEach(f -> lines.add(new Line(f.start(), f.toJson())));
        lines.sort(Comparator.comparingLong(Line::at));
        try {
            Files.createDirectories(file.getParent());
            try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                for (Line l : lines) {
                    w.write(l.json());
                    w.write('\n');
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write history " + file, e);
        }
    }
}
