package io.latchkey.core.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeysTest {

    private final Keys keys = new Keys("orders");

    @Test
    void namedKeyCarriesTheNameAsHashTag() {
        assertEquals("orders:{order:42}:lock", keys.key("order:42", "lock"));
    }

    @Test
    void keyedFormSharesOneTagPerEntry() {
        assertEquals("orders:{api:user:1}:w", keys.key("api", "user:1", "w"));
        assertEquals("orders:{a%3Ab:c}:w", keys.key("a:b", "c", "w"));
    }

    @Test
    void userKeysCannotBreakTheHashTag() {
        String k = keys.key("api", "a}b{c", "w");
        assertEquals("orders:{api:a%7Db%7Bc}:w", k);
        assertEquals(1, k.chars().filter(c -> c == '{').count());
        assertEquals(1, k.chars().filter(c -> c == '}').count());
    }

    @Test
    void escapingKeepsDistinctInputsDistinct() {
        assertNotEquals(keys.key("a:b", "c", "s"), keys.key("a", "b:c", "s"));
        assertNotEquals(keys.key("api", "%7B", "s"), keys.key("api", "{", "s"));
        assertNotEquals(keys.key("a%3Ab", "c", "s"), keys.key("a:b", "c", "s"));
    }

    @Test
    void plainTextIsNotCopied() {
        String s = "plain-key";
        assertTrue(Keys.escape(s, true) == s, "no allocation for text without special characters");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "a{b", "a}b"})
    void badNamesAreRejectedWithTheParameterName(String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Keys.validateName(name, "lockName"));
        assertTrue(e.getMessage().contains("lockName"), e.getMessage());
    }

    @Test
    void textThatUtf8WouldTurnIntoTheSameBytesIsRejected() {
        // StringCodec.UTF8 encodes every unpaired surrogate as '?': these would all be one key / one lock
        for (String key : new String[] {"user\ud800", "user\udfff"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Keys.validateKey(key, "key"));
            assertTrue(e.getMessage().startsWith("key must be well-formed UTF-16"), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Keys.validateName("order:\ud800", "name"));
        assertTrue(e.getMessage().startsWith("name must be well-formed UTF-16"), e.getMessage());
        assertEquals("order:?", Keys.validateName("order:?", "name"));
        assertEquals("user\ud83d\ude00", Keys.validateKey("user\ud83d\ude00", "key"), "a surrogate pair is fine");
    }

    @Test
    void nullNameIsRejectedWithTheParameterName() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> Keys.validateName(null, "lockName"));
        assertEquals("lockName", e.getMessage());
    }

    @Test
    void overlongNamesAndKeysAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Keys.validateName("x".repeat(Keys.MAX_NAME_LENGTH + 1), "name"));
        assertEquals("x".repeat(Keys.MAX_NAME_LENGTH), Keys.validateName("x".repeat(Keys.MAX_NAME_LENGTH), "name"));
        assertThrows(IllegalArgumentException.class, () -> Keys.validateKey("x".repeat(Keys.MAX_KEY_LENGTH + 1), "key"));
        assertThrows(IllegalArgumentException.class, () -> Keys.validateKey("", "key"));
        assertEquals("{any}:thing", Keys.validateKey("{any}:thing", "key"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "has space", "br{ace", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"})
    void badNamespacesAreRejected(String ns) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Keys(ns));
        assertTrue(e.getMessage().contains("namespace"), e.getMessage());
    }
}
