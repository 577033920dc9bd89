package io.latchkey.annotations;

import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A key template such as {@code "order:{orderId}"}, {@code "{0}"} or {@code "{order.customer.id}"}, parsed and
 * checked against the method's parameters once, at proxy creation. {@code {{} and {@code }}} are literal braces.
 * A placeholder names a parameter (by {@link Key} name, compiled name or index) followed by property steps, each a
 * record component, a public no-argument method {@code p()}, a getter {@code getP()}/{@code isP()} or a public
 * field, looked up on the declared type.
 */
final class KeyTemplate {

    private final String text;
    private final String where;
    private final MethodParameters params;
    private final List<Object> parts; // String literal or Ref; empty for a compiled expression
    private final Function<Object[], String> expression; // from a KeyExpressionResolver, or null

    private KeyTemplate(String text, String where, MethodParameters params, List<Object> parts,
                        Function<Object[], String> expression) {
        this.text = text;
        this.where = where;
        this.params = params;
        this.parts = parts;
        this.expression = expression;
    }

    /** A key computed by an expression a {@link KeyExpressionResolver} compiled from {@code text}. */
    static KeyTemplate compiled(String text, String where, MethodParameters params,
                                Function<Object[], String> expression) {
        return new KeyTemplate(text, where, params, List.of(), Objects.requireNonNull(expression, "expression"));
    }

    /**
     * Parses and checks {@code text}.
     *
     * @param where the attribute, for messages, e.g. {@code "@DistributedLock(name)"}
     * @throws IllegalArgumentException naming the method, the attribute and the problem
     */
    static KeyTemplate parse(String text, String where, MethodParameters params) {
        Objects.requireNonNull(text, "template");
        String ctx = params.description() + ": " + where + " \"" + text + "\"";
        List<Object> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '{' && i + 1 < text.length() && text.charAt(i + 1) == '{') {
                literal.append('{');
                i += 2;
            } else if (c == '}' && i + 1 < text.length() && text.charAt(i + 1) == '}') {
                literal.append('}');
                i += 2;
            } else if (c == '}') {
                throw new IllegalArgumentException(ctx + ": unmatched '}' at " + i + " (write '}}' for a literal brace)");
            } else if (c == '{') {
                int close = text.indexOf('}', i + 1);
                if (close < 0) {
                    throw new IllegalArgumentException(ctx + ": unclosed '{' at " + i);
                }
                if (literal.length() > 0) {
                    parts.add(literal.toString());
                    literal.setLength(0);
                }
                parts.add(Ref.parse(text.substring(i + 1, close).trim(), ctx, params));
                i = close + 1;
            } else {
                literal.append(c);
                i++;
            }
        }
        if (literal.length() > 0) {
            parts.add(literal.toString());
        }
        return new KeyTemplate(text, where, params, List.copyOf(parts), null);
    }

    /** A template that is just {@code literal} (no placeholders). */
    static KeyTemplate constant(String literal, String where, MethodParameters params) {
        return new KeyTemplate(literal, where, params, List.of(literal), null);
    }

    String text() {
        return text;
    }

    boolean isConstant() {
        return expression == null && parts.stream().allMatch(p -> p instanceof String);
    }

    /** The literal text outside placeholders (to validate names), joined. */
    String literalText() {
        StringBuilder b = new StringBuilder();
        for (Object p : parts) {
            if (p instanceof String s) {
                b.append(s);
            }
        }
        return b.toString();
    }

    /**
     * The key for one call.
     *
     * @throws NullPointerException     if a referenced value is null, naming the method and the parameter
     * @throws IllegalArgumentException if a referenced value is blank, or the whole key is empty
     */
    String render(Object[] args) {
        if (expression != null) {
            String key = expression.apply(args == null ? new Object[0] : args);
            if (key == null) {
                throw new NullPointerException(params.description() + ": " + where + " \"" + text
                        + "\" resolved to null");
            }
            if (key.isBlank()) {
                throw new IllegalArgumentException(params.description() + ": " + where + " \"" + text
                        + "\" resolved to a blank key");
            }
            return key;
        }
        StringBuilder b = new StringBuilder();
        for (Object p : parts) {
            if (p instanceof String s) {
                b.append(s);
            } else {
                b.append(((Ref) p).value(args, this));
            }
        }
        if (b.length() == 0 || b.toString().isBlank()) {
            throw new IllegalArgumentException(params.description() + ": " + where + " \"" + text
                    + "\" resolved to a blank key");
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return text;
    }

    private record Ref(String expr, int index, List<Member> path) {

        static Ref parse(String expr, String ctx, MethodParameters params) {
            if (expr.isEmpty()) {
                throw new IllegalArgumentException(ctx + ": empty placeholder {}");
            }
            String[] steps = expr.split("\\.", -1);
            int index;
            if (steps[0].chars().allMatch(Character::isDigit)) {
                try {
                    index = Integer.parseInt(steps[0]);
                } catch (NumberFormatException e) {
                    index = Integer.MAX_VALUE;
                }
                if (index >= params.count()) {
                    throw new IllegalArgumentException(ctx + ": parameter index " + steps[0] + " out of range, the"
                            + " method has " + params.count() + " parameter(s)");
                }
            } else {
                if (!MethodParameters.isIdentifier(steps[0])) {
                    throw new IllegalArgumentException(ctx + ": \"" + steps[0] + "\" is not a parameter name or"
                            + " index");
                }
                index = params.indexOf(steps[0]);
                if (index < 0) {
                    throw new IllegalArgumentException(ctx + ": unknown parameter \"" + steps[0] + "\"; parameters"
                            + " are " + params.available() + " (name them with @Key(\"...\") when the interface is"
                            + " not compiled with -parameters)");
                }
            }
            List<Member> path = new ArrayList<>();
            Class<?> type = params.type(index);
            StringBuilder walked = new StringBuilder(steps[0]);
            for (int s = 1; s < steps.length; s++) {
                String prop = steps[s];
                if (!MethodParameters.isIdentifier(prop)) {
                    throw new IllegalArgumentException(ctx + ": \"" + expr + "\" has an invalid property step \""
                            + prop + "\"");
                }
                if (type.isPrimitive()) {
                    throw new IllegalArgumentException(ctx + ": " + walked + " is a " + type + ", it has no property"
                            + " \"" + prop + "\"");
                }
                Member m = accessor(type, prop);
                if (m == null) {
                    throw new IllegalArgumentException(ctx + ": " + type.getName() + " (type of " + walked + ") has"
                            + " no record component, public method " + prop + "(), getter or public field \"" + prop
                            + "\"");
                }
                try {
                    ((AccessibleObject) m).setAccessible(true);
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException(ctx + ": " + m + " is not accessible: " + e.getMessage(), e);
                }
                path.add(m);
                type = m instanceof Method mm ? mm.getReturnType() : ((Field) m).getType();
                walked.append('.').append(prop);
            }
            return new Ref(expr, index, List.copyOf(path));
        }

        private static Member accessor(Class<?> type, String prop) {
            if (type.isRecord()) {
                for (RecordComponent rc : type.getRecordComponents()) {
                    if (rc.getName().equals(prop)) {
                        return rc.getAccessor();
                    }
                }
            }
            String cap = Character.toUpperCase(prop.charAt(0)) + prop.substring(1);
            for (String name : new String[] {prop, "get" + cap, "is" + cap}) {
                Method m = publicNoArg(type, name);
                if (m != null && (!name.startsWith("is") || name.equals(prop)
                        || m.getReturnType() == boolean.class || m.getReturnType() == Boolean.class)) {
                    return m;
                }
            }
            try {
                Field f = type.getField(prop);
                return Modifier.isStatic(f.getModifiers()) ? null : f;
            } catch (NoSuchFieldException e) {
                return null;
            }
        }

        private static Method publicNoArg(Class<?> type, String name) {
            try {
                Method m = type.getMethod(name);
                if (m.getReturnType() == void.class || Modifier.isStatic(m.getModifiers())) {
                    return null;
                }
                return m;
            } catch (NoSuchMethodException e) {
                return null;
            }
        }

        String value(Object[] args, KeyTemplate t) {
            Object v = args == null ? null : args[index];
            StringBuilder walked = new StringBuilder(t.params.label(index));
            for (Member m : path) {
                if (v == null) {
                    throw new NullPointerException(t.message("parameter " + walked + " is null", expr));
                }
                try {
                    v = m instanceof Method mm ? mm.invoke(v) : ((Field) m).get(v);
                } catch (InvocationTargetException e) {
                    throw new IllegalArgumentException(t.message("reading " + m.getName() + " of parameter "
                            + walked + " threw " + e.getCause(), expr), e.getCause());
                } catch (IllegalAccessException e) {
                    throw new IllegalArgumentException(t.message("cannot read " + m.getName() + " of parameter "
                            + walked, expr), e);
                }
                walked.append('.').append(m.getName());
            }
            if (v == null) {
                throw new NullPointerException(t.message("parameter " + walked + " is null", expr));
            }
            String s = v instanceof Enum<?> e ? e.name() : String.valueOf(v);
            if (s.isBlank()) {
                throw new IllegalArgumentException(t.message("parameter " + walked + " is blank", expr));
            }
            return s;
        }
    }

    private String message(String problem, String expr) {
        return params.description() + ": " + where + " \"" + text + "\": {" + expr + "}: " + problem;
    }
}
