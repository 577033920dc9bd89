package io.latchkey.annotations;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.Latchkey;
import io.latchkey.testing.RedisTest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@RedisTest
class FencingTokenTest {

    interface Ledger {
        @DistributedLock(name = "ledger:{0}")
        long post(String account, @FencingToken long token);

        @DistributedLock(name = "ledger:{0}")
        CompletableFuture<Long> postAsync(String account, @FencingToken Long token);
    }

    interface NotALong {
        @DistributedLock(name = "x")
        void post(@FencingToken String token);
    }

    interface NoLock {
        @ConcurrencyLimited(permits = 1)
        void post(@FencingToken long token);
    }

    interface NoAnnotationAtAll {
        void post(@FencingToken long token);
    }

    interface TwoTokens {
        @DistributedLock(name = "x")
        void post(@FencingToken long a, @FencingToken long b);
    }

    @Test
    void theMethodReceivesTheLeasesIncreasingToken(Latchkey latchkey) throws Exception {
        Ledger ledger = LatchkeyProxies.of(latchkey).proxy(Ledger.class, new Ledger() {
            @Override
            public long post(String account, long token) {
                return token;
            }

            @Override
            public CompletableFuture<Long> postAsync(String account, Long token) {
                return CompletableFuture.completedFuture(token);
            }
        });
        long first = ledger.post("acc-1", 0);
        long second = ledger.post("acc-1", 0);
        long third = ledger.postAsync("acc-1", 0L).get(10, TimeUnit.SECONDS);
        assertTrue(first > 0, "a real token, not the caller's 0");
        assertTrue(second > first && third > second, first + " < " + second + " < " + third);
    }

    @Test
    void misplacedFencingTokensFailAtProxyCreation(Latchkey latchkey) {
        LatchkeyProxies proxies = LatchkeyProxies.of(latchkey);
        for (Class<?> type : new Class<?>[] {NotALong.class, NoLock.class, NoAnnotationAtAll.class,
                TwoTokens.class}) {
            @SuppressWarnings({"unchecked", "rawtypes"})
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> proxies.proxy((Class) type, java.lang.reflect.Proxy.newProxyInstance(type.getClassLoader(),
                            new Class<?>[] {type}, (p, m, a) -> null)), type.getSimpleName());
            assertTrue(e.getMessage().contains(type.getSimpleName() + ".post(") && e.getMessage()
                    .contains("@FencingToken"), e.getMessage());
        }
    }
}
