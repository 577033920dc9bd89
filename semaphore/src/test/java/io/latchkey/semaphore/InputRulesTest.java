package io.latchkey.semaphore;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.Latchkey;
import io.latchkey.core.LeaseRequest;
import io.latchkey.testing.RedisTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Names that UTF-8 would merge are refused; huge waits and holds never overflow. */
@RedisTest
class InputRulesTest {

    @Test
    void namesWithUnpairedSurrogatesAreRefused(Latchkey latchkey) {
        Semaphores semaphores = Semaphores.of(latchkey);
        for (String name : new String[] {"uploads\ud800", "uploads\udfff"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> semaphores.semaphore(name, 2));
            assertTrue(e.getMessage().startsWith("name must be well-formed UTF-16"), e.getMessage());
        }
        assertTrue(semaphores.semaphore("uploads?", 1).tryAcquire(Duration.ofSeconds(5)).isPresent());
    }

    @Test
    void hugeWaitsAndHoldsMeanForever(Latchkey latchkey) throws Exception {
        DistributedSemaphore s = Semaphores.of(latchkey).semaphore("forever", 1);
        Permit p = s.tryAcquire(Duration.ofSeconds(5), Duration.ofMillis(Long.MAX_VALUE)).orElseThrow();
        p.release();
        Permit q = s.tryAcquireAsync(LeaseRequest.builder(Duration.ofSeconds(5)).maxWait(Duration.ofSeconds(Long.MAX_VALUE))
                .watchdog(true).maxHold(Duration.ofMillis(Long.MAX_VALUE)).build()).get().orElseThrow();
        q.release();
        assertThrows(IllegalArgumentException.class, () -> s.tryAcquire(Duration.ofMillis(Long.MAX_VALUE)));
        assertThrows(IllegalArgumentException.class, () -> p.extend(Duration.ofSeconds(Long.MAX_VALUE)));
    }
}
