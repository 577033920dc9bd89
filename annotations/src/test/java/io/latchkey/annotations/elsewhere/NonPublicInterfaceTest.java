package io.latchkey.annotations.elsewhere;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.latchkey.annotations.Deduplicated;
import io.latchkey.annotations.Key;
import io.latchkey.annotations.LatchkeyProxies;
import io.latchkey.core.Latchkey;
import io.latchkey.testing.RedisTest;
import org.junit.jupiter.api.Test;

/** A package-private service interface in the user's own package (the usual shape of a nested contract). */
@RedisTest
class NonPublicInterfaceTest {

    record Event(String id) {
    }

    interface Handler {
        @Deduplicated(key = "{event.id}")
        String handle(@Key("event") Event event);

        default String twice(Event event) {
            return handle(event) + "/" + handle(event);
        }
    }

    private static final class HandlerImpl implements Handler {
        @Override
        public String handle(Event event) {
            return "handled " + event.id();
        }
    }

    @Test
    void nonPublicInterfacesAndRecordsWork(Latchkey latchkey) {
        Handler h = LatchkeyProxies.of(latchkey).proxy(Handler.class, new HandlerImpl());
        assertEquals("handled 1", h.handle(new Event("1")));
        assertNull(h.handle(new Event("1")));
        // the default method runs on the target, so its inner calls do not go through the proxy
        assertEquals("handled 2/handled 2", h.twice(new Event("2")));
    }
}
