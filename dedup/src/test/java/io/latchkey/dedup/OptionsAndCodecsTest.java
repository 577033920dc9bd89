package io.latchkey.dedup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.FailurePolicy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Pure logic: option defaults and builders, codecs, fingerprints. No Redis. */
class OptionsAndCodecsTest {

    @Test
    void deduplicatorDefaultsAndBuilder() {
        DeduplicatorOptions d = DeduplicatorOptions.defaults();
        assertEquals(DedupStrategy.WINDOWED, d.strategy());
        assertEquals(FailurePolicy.FAIL_CLOSED, d.failurePolicy());
        assertEquals(DeduplicatorOptions.DEFAULT_BUCKETS, d.buckets());
        assertNull(d.bucketWidth());
        assertEquals(DeduplicatorOptions.DEFAULT_RETRIES, d.retries());
        DeduplicatorOptions w = DeduplicatorOptions.builder().buckets(8).bucketWidth(Duration.ofSeconds(5))
                .strategy(DedupStrategy.EXACT).failurePolicy(FailurePolicy.FAIL_OPEN).retries(0).build();
        assertEquals(Duration.ofSeconds(5), w.bucketWidth());
        assertEquals(0, w.buckets(), "the last of buckets/bucketWidth wins");
        assertEquals(DedupStrategy.EXACT, w.strategy());
        assertEquals(FailurePolicy.FAIL_OPEN, w.failurePolicy());
        assertEquals(0, w.retries());
        assertEquals(3, DeduplicatorOptions.builder().bucketWidth(Duration.ofSeconds(1)).buckets(3).build().buckets());
    }

    @Test
    void idempotencyDefaultsAndBuilder() {
        IdempotencyOptions d = IdempotencyOptions.defaults();
        assertEquals(Duration.ofHours(24), d.ttl());
        assertEquals(Duration.ofSeconds(30), d.lease());
        assertEquals(IdempotencyOptions.OnInProgress.REJECT, d.onInProgress());
        assertTrue(d.removeClaimOnFailure());
        assertEquals(FailurePolicy.FAIL_CLOSED, d.failurePolicy());
        IdempotencyOptions w = IdempotencyOptions.builder().waitForResult(Duration.ofSeconds(3))
                .removeClaimOnFailure(false).lease(Duration.ofSeconds(2)).ttl(Duration.ofMinutes(5)).build();
        assertEquals(IdempotencyOptions.OnInProgress.WAIT, w.onInProgress());
        assertEquals(Duration.ofSeconds(3), w.maxWait());
        assertFalse(w.removeClaimOnFailure());
        assertEquals(2000, w.leaseMillis());
        assertEquals(300_000, w.ttlMillis());
        IdempotencyOptions r = IdempotencyOptions.builder().waitForResult(Duration.ofSeconds(3)).rejectInProgress().build();
        assertEquals(IdempotencyOptions.OnInProgress.REJECT, r.onInProgress());
        assertEquals(Duration.ZERO, r.maxWait());
    }

    @Test
    void codecsRoundTrip() {
        assertEquals("héllo\n{}", ResultCodec.string().decode(ResultCodec.string().encode("héllo\n{}")));
        assertEquals(Long.MAX_VALUE, ResultCodec.longs().decode(ResultCodec.longs().encode(Long.MAX_VALUE)));
        assertEquals("-42", ResultCodec.longs().encode(-42L));
        byte[] raw = new byte[256];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (byte) i;
        }
        assertArrayEquals(raw, ResultCodec.bytes().decode(ResultCodec.bytes().encode(raw)));
    }

    @Test
    void fingerprintsAreSha256OfTheCanonicalBytes() {
        String fp = RedisIdempotentExecutor.fingerprint("abc".getBytes(StandardCharsets.UTF_8));
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", fp);
        assertNotEquals(fp, RedisIdempotentExecutor.fingerprint("abd".getBytes(StandardCharsets.UTF_8)));
    }
}
