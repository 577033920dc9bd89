package io.latchkey.chaos;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Real-time order of tokens: if operation a completed before operation b was invoked, a's token must be smaller
 * than b's (strictly). Used for the tokens leases are issued with, and for the writes a fenced resource accepted:
 * a resource that accepted a write from an older lease after a newer one had written was fooled by a stale holder.
 */
final class OrderChecker {

    private OrderChecker() {
    }

    static CheckResult check(String name, List<Op> ops, String note) {
        List<Op> byComplete = new ArrayList<>(ops);
        byComplete.sort(Comparator.comparingLong(Op::complete));
        List<Op> byInvoke = new ArrayList<>(ops);
        byInvoke.sort(Comparator.comparingLong(Op::invoke));
        List<String> violations = new ArrayList<>();
        int i = 0;
        Op max = null;
        for (Op b : byInvoke) {
            while (i < byComplete.size() && byComplete.get(i).complete() < b.invoke()) {
                Op a = byComplete.get(i++);
                if (max == null || a.token() > max.token()) {
                    max = a;
                }
            }
            if (max != null && max.token() >= b.token()) {
                violations.add(String.format("p%d %s token %d at %.3fs after p%d token %d completed at %.3fs",
                        b.process(), b.f(), b.token(), b.invoke() / 1e9, max.process(), max.token(),
                        max.complete() / 1e9));
            }
        }
        return CheckResult.of(name, violations, 0, ops.size() + " " + note);
    }
}
