package io.latchkey.chaos;

/**
 * One injected fault: its kind, the summary category it counts under, what it hit, and when it started and was
 * healed (same clock as the history's operations).
 */
record FaultEvent(Nemesis.Kind kind, String target, long start, long end) {

    String category() {
        return kind.category();
    }

    String toJson() {
        return "{\"process\":\"nemesis\",\"f\":" + Json.quote(kind.name().toLowerCase().replace('_', '-'))
                + ",\"category\":" + Json.quote(category()) + ",\"target\":" + Json.quote(target)
                + ",\"invoke\":" + start + ",\"complete\":" + end + "}";
    }
}
