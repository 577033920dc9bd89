package io.latchkey.lock;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.Latchkey;
import io.latchkey.core.LeaseRequest;
import io.latchkey.lock.redlock.Redlock;
import io.latchkey.testing.RedisTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lock names that UTF-8 would merge are refused; huge waits and holds never overflow. */
@RedisTest
class InputRulesTest {

    @Test
    void namesWithUnpairedSurrogatesAreRefused(Latchkey latchkey) {
        Locks locks = Locks.of(latchkey);
        // "order:\ud800" would reach Redis as "order:?": the same lock as "order:?"
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> locks.lock("order:\ud800"));
        assertTrue(e.getMessage().startsWith("name must be well-formed UTF-16"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> locks.lock("order:\udfff", LockOptions.defaults()));
        assertThrows(IllegalArgumentException.class, () -> Redlock.of(List.of(latchkey)).lock("job:\ud800"));
        assertThrows(IllegalArgumentException.class, () -> locks.fencedResource("ledger\ud800"));
        assertThrows(IllegalArgumentException.class,
                () -> locks.fencedResource("ledger").write("acct\udfff", "v", 1, Duration.ofSeconds(5)));
        assertThrows(IllegalArgumentException.class,
                () -> LockOptions.builder().metricsGroup("order\ud800"));
        assertTrue(locks.lock("order:?").tryAcquire(Duration.ofSeconds(5)).isPresent());
        assertTrue(locks.lock("order:\ud83d\ude00").tryAcquire(Duration.ofSeconds(5)).isPresent(), "a pair is fine");
    }

    @Test
    void hugeWaitsAndHoldsMeanForever(Latchkey latchkey) throws Exception {
        DistributedLock lock = Locks.of(latchkey).lock("forever");
        LockLease a = lock.tryAcquire(Duration.ofSeconds(5), Duration.ofMillis(Long.MAX_VALUE)).orElseThrow();
        a.release();
        LockLease b = lock.tryAcquireAsync(LeaseRequest.builder(Duration.ofSeconds(5))
                .maxWait(Duration.ofSeconds(Long.MAX_VALUE)).watchdog(true).maxHold(Duration.ofMillis(Long.MAX_VALUE))
                .build()).get().orElseThrow();
        b.release();
        DistributedLock red = Redlock.of(List.of(latchkey)).lock("forever-red");
        red.tryAcquire(Duration.ofSeconds(5), Duration.ofSeconds(Long.MAX_VALUE)).orElseThrow().release();
        assertThrows(IllegalArgumentException.class, () -> lock.tryAcquire(Duration.ofMillis(Long.MAX_VALUE)));
        assertThrows(IllegalArgumentException.class, () -> a.extend(Duration.ofSeconds(Long.MAX_VALUE)));
    }
}
