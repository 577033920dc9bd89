package io.latchkey.chaos;

/**
 * One operation of a history: who ran it, what, on which key, when it was invoked and completed (nanoseconds on the
 * run's single {@link System#nanoTime()} clock, relative to the history's origin) and how it ended.
 *
 * @param process  the client (0-based) that ran it
 * @param f        the operation, e.g. {@code acquire}, {@code release}, {@code fenced-write}, {@code claim}
 * @param key      the lock/permit/owner id or user key, or null
 * @param invoke   when the call started
 * @param complete when the call returned or threw
 * @param outcome  ok / fail / unknown
 * @param value    a result value (written counter value, 1/0 for true/false), or null
 * @param token    a fencing token, or null
 * @param deadline the local lease deadline (same clock), or null
 * @param info     free text: accepted/rejected, late, the error class
 */
record Op(int process, String f, String key, long invoke, long complete, Outcome outcome, Long value, Long token,
          Long deadline, String info) {

    Op {
        if (complete < invoke) {
            throw new IllegalArgumentException("complete < invoke: " + complete + " < " + invoke);
        }
    }

    static Op ok(int process, String f, String key, long invoke, long complete) {
        return new Op(process, f, key, invoke, complete, Outcome.OK, null, null, null, null);
    }

    Op withValue(Long v) {
        return new Op(process, f, key, invoke, complete, outcome, v, token, deadline, info);
    }

    Op withToken(Long t) {
        return new Op(process, f, key, invoke, complete, outcome, value, t, deadline, info);
    }

    Op withDeadline(Long d) {
        return new Op(process, f, key, invoke, complete, outcome, value, token, d, info);
    }

    Op withInfo(String i) {
        return new Op(process, f, key, invoke, complete, outcome, value, token, deadline, i);
    }

    Op withOutcome(Outcome o) {
        return new Op(process, f, key, invoke, complete, o, value, token, deadline, info);
    }

    boolean ok() {
        return outcome == Outcome.OK;
    }

    String toJson() {
        StringBuilder b = new StringBuilder(160);
        b.append("{\"process\":").append(process)
                .append(",\"f\":").append(Json.quote(f));
        if (key != null) {
            b.append(",\"key\":").append(Json.quote(key));
        }
        b.append(",\"invoke\":").append(invoke)
                .append(",\"complete\":").append(complete)
                .append(",\"outcome\":\"").append(outcome.name().toLowerCase()).append('"');
        if (value != null) {
            b.append(",\"value\":").append(value);
        }
        if (token != null) {
            b.append(",\"token\":").append(token);
        }
        if (deadline != null) {
            b.append(",\"deadline\":").append(deadline);
        }
        if (info != null) {
            b.append(",\"info\":").append(Json.quote(info));
        }
        return b.append('}').toString();
    }
}
