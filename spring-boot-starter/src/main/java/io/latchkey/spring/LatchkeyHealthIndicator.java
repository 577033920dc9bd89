package io.latchkey.spring;

import io.latchkey.core.Latchkey;
import java.util.Map;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * UP when {@link Latchkey#ping()} answers, with its round trip and how many of the scripts sent so far the server
 * still caches (a missing one is re-sent on its next use, so it does not make the client DOWN); DOWN with the error
 * when Redis does not answer within the command timeout.
 */
final class LatchkeyHealthIndicator extends AbstractHealthIndicator {

    private final Latchkey latchkey;

    LatchkeyHealthIndicator(Latchkey latchkey) {
        super("Latchkey health check failed");
        this.latchkey = latchkey;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        builder.withDetail("client", latchkey.toString());
        long start = System.nanoTime();
        Map<String, Boolean> scripts = latchkey.ping();
        long micros = (System.nanoTime() - start) / 1_000;
        long cached = scripts.values().stream().filter(Boolean::booleanValue).count();
        builder.up()
                .withDetail("pingMillis", micros / 1_000.0)
                .withDetail("scriptsSent", scripts.size())
                .withDetail("scriptsCached", cached);
        if (cached < scripts.size()) {
            builder.withDetail("scriptsMissing", scripts.entrySet().stream().filter(e -> !e.getValue())
                    .map(Map.Entry::getKey).sorted().toList());
        }
    }
}
