package io.latchkey.chaos;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sweep-line over believed holds: a hold starts when an acquire returned a lease (ok, value 1) and ends at the
 * earlier of the holder invoking its release and the lease's local deadline (the moment it must stop believing it
 * holds, whatever happens). At no instant may more than {@code limit} holds overlap. Holds are matched to releases
 * by {@link Op#key()} (owner or permit id).
 */
final class HoldChecker {

    /** One believed hold. */
    record Hold(int process, String id, long start, long end, Long token) {
    }

    private HoldChecker() {
    }

    static List<Hold> holds(List<Op> ops, String acquire, String release) {
        Map<String, Long> releasedAt = new HashMap<>();
        for (Op o : ops) {
            if (o.f().equals(release) && o.key() != null) {
                releasedAt.merge(o.key(), o.invoke(), Math::min);
            }
        }
        List<Hold> holds = new ArrayList<>();
        for (Op o : ops) {
            if (o.f().equals(acquire) && o.ok() && o.value() != null && o.value() == 1 && o.deadline() != null) {
                long end = Math.min(o.deadline(), releasedAt.getOrDefault(o.key(), Long.MAX_VALUE));
                if (end > o.complete()) {
                    holds.add(new Hold(o.process(), o.key(), o.complete(), end, o.token()));
                }
            }
        }
        return holds;
    }

    static CheckResult check(String name, List<Op> ops, String acquire, String release, int limit) {
        List<Hold> holds = holds(ops, acquire, release);
        record Event(long at, boolean start, Hold hold) {
        }
        List<Event> events = new ArrayList<>(holds.size() * 2);
        for (Hold h : holds) {
            events.add(new Event(h.start(), true, h));
            events.add(new Event(h.end(), false, h));
        }
        // at equal instants, ends first: a hold ending at t and one starting at t do not overlap
        events.sort(Comparator.comparingLong(Event::at).thenComparing(e -> e.start));
        Map<Hold, Boolean> active = new LinkedHashMap<>();
        List<String> violations = new ArrayList<>();
        int peak = 0;
        for (Event e : events) {
            if (e.start) {
                active.put(e.hold, true);
                peak = Math.max(peak, active.size());
                if (active.size() > limit) {
                    violations.add(String.format("at t=%.3fs %d holders: %s", e.at / 1e9, active.size(),
                            describe(active.keySet())));
                }
            } else {
                active.remove(e.hold);
            }
        }
        return CheckResult.of(name, violations, 0, holds.size() + " holds, peak " + peak + " concurrent");
    }

    private static String describe(Iterable<Hold> holds) {
        StringBuilder b = new StringBuilder();
        for (Hold h : holds) {
            b.append(String.format("[p%d %s %.3f-%.3fs%s] ", h.process(), shortId(h.id()), h.start() / 1e9,
                    h.end() / 1e9, h.token() == null ? "" : " token " + h.token()));
        }
        return b.toString().trim();
    }

    static String shortId(String id) {
        return id == null ? "?" : id.length() <= 8 ? id : id.substring(0, 8);
    }
}
