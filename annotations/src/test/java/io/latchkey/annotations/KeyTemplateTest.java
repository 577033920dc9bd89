package io.latchkey.annotations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

class KeyTemplateTest {

    record Customer(String id, Tier tier) {
    }

    enum Tier { GOLD, SILVER }

    record Order(long id, Customer customer) {
    }

    public static class Bean {
        public final String region;
        private final boolean priority;

        public Bean(String region, boolean priority) {
            this.region = region;
            this.priority = priority;
        }

        public boolean isPriority() {
            return priority;
        }

        public String getZone() {
            return region + "-a";
        }
    }

    interface Service {
        void place(@Key("order") Order o, String channel, Bean bean, int count);
    }

    private static MethodParameters params() throws Exception {
        Method m = Service.class.getMethod("place", Order.class, String.class, Bean.class, int.class);
        return new MethodParameters(m);
    }

    private static String render(String template, Object... args) throws Exception {
        return KeyTemplate.parse(template, "@T(key)", params()).render(args);
    }

    private final Order order = new Order(42, new Customer("c-7", Tier.GOLD));
    private final Bean bean = new Bean("eu", true);

    @Test
    void namesIndexesAndPropertyPaths() throws Exception {
        assertEquals("order:42", render("order:{order.id}", order, "web", bean, 3));
        assertEquals("c-7/GOLD", render("{order.customer.id}/{0.customer.tier}", order, "web", bean, 3));
        // compiled names (this test is compiled with -parameters) and indexes
        assertEquals("web:3", render("{channel}:{3}", order, "web", bean, 3));
        // public field, getter, boolean is-getter
        assertEquals("eu|eu-a|true", render("{bean.region}|{bean.zone}|{bean.priority}", order, "web", bean, 3));
        assertEquals("{literal}:web", render("{{literal}}:{ channel }", order, "web", bean, 3));
        KeyTemplate constant = KeyTemplate.parse("global", "@T(key)", params());
        assertTrue(constant.isConstant());
        assertFalse(KeyTemplate.parse("a{0}", "@T(key)", params()).isConstant());
    }

    @Test
    void badTemplatesAreRejectedWithTheMethodAndTheReason() throws Exception {
        MethodParameters p = params();
        String[][] cases = {
                {"order:{orderId}", "unknown parameter \"orderId\""},
                {"{7}", "index 7 out of range"},
                {"{order.total}", "no record component"},
                {"{count.x}", "has no property"},
                {"{order", "unclosed '{'"},
                {"order}", "unmatched '}'"},
                {"{}", "empty placeholder"},
                {"{order..id}", "invalid property step"},
                {"{9x}", "not a parameter name or index"},
        };
        for (String[] c : cases) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> KeyTemplate.parse(c[0], "@DistributedLock(name)", p), c[0]);
            assertTrue(e.getMessage().startsWith("Service.place(Order, String, Bean, int): @DistributedLock(name)"),
                    e.getMessage());
            assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
        }
    }

    @Test
    void nullAndBlankValuesFailNamingMethodAndParameter() throws Exception {
        NullPointerException npe = assertThrows(NullPointerException.class,
                () -> render("order:{order.id}", null, "web", bean, 3));
        assertTrue(npe.getMessage().contains("Service.place(Order, String, Bean, int)"), npe.getMessage());
        assertTrue(npe.getMessage().contains("parameter \"order\" (#0) is null"), npe.getMessage());

        npe = assertThrows(NullPointerException.class, () -> render("{order.customer.id}",
                new Order(1, new Customer(null, Tier.GOLD)), "web", bean, 3));
        assertTrue(npe.getMessage().contains("\"order\" (#0).customer.id is null"), npe.getMessage());

        IllegalArgumentException iae = assertThrows(IllegalArgumentException.class,
                () -> render("{channel}", order, "  ", bean, 3));
        assertTrue(iae.getMessage().contains("parameter \"channel\" (#1) is blank"), iae.getMessage());
    }

    interface Dup {
        void m(@Key("a") String x, @Key("a") String y);
    }

    interface BadKey {
        void m(@Key("not an identifier") String x);
    }

    @Test
    void keyNamesMustBeUniqueIdentifiers() throws Exception {
        Method dup = Dup.class.getMethod("m", String.class, String.class);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MethodParameters(dup));
        assertTrue(e.getMessage().contains("two parameters are named \"a\""), e.getMessage());
        Method bad = BadKey.class.getMethod("m", String.class);
        e = assertThrows(IllegalArgumentException.class, () -> new MethodParameters(bad));
        assertTrue(e.getMessage().contains("not a Java identifier"), e.getMessage());
    }
}
