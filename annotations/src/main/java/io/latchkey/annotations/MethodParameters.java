package io.latchkey.annotations;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.HashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The names a key template may use for a method's parameters: the {@link Key} name, else the compiled name when the
 * class was compiled with {@code -parameters}, plus the index of every parameter.
 */
final class MethodParameters {

    private final Method method;
    private final String description;
    private final String[] names;
    private final Map<String, Integer> byName = new HashMap<>();

    MethodParameters(Method method) {
        this.method = method;
        this.description = describe(method);
        Parameter[] params = method.getParameters();
        this.names = new String[params.length];
        for (int i = 0; i < params.length; i++) {
            Key key = params[i].getAnnotation(Key.class);
            String name = null;
            if (key != null) {
                name = key.value();
                if (!isIdentifier(name)) {
                    throw new IllegalArgumentException(description + ": @Key(\"" + name + "\") on parameter #" + i
                            + " is not a Java identifier");
                }
            } else if (params[i].isNamePresent()) {
                name = params[i].getName();
            }
            names[i] = name;
            if (name != null && byName.putIfAbsent(name, i) != null) {
                throw new IllegalArgumentException(description + ": two parameters are named \"" + name + "\"");
            }
        }
    }

    static String describe(Method m) {
        StringJoiner j = new StringJoiner(", ", m.getDeclaringClass().getSimpleName() + "." + m.getName() + "(", ")");
        for (Class<?> t : m.getParameterTypes()) {
            j.add(t.getSimpleName());
        }
        return j.toString();
    }

    static boolean isIdentifier(String s) {
        if (s == null || s.isEmpty() || !Character.isJavaIdentifierStart(s.charAt(0))) {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            if (!Character.isJavaIdentifierPart(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    Method method() {
        return method;
    }

    /** {@code Interface.method(ParamTypes)}. */
    String description() {
        return description;
    }

    int count() {
        return names.length;
    }

    /** The index of the parameter called {@code name}, or -1. */
    int indexOf(String name) {
        return byName.getOrDefault(name, -1);
    }

    /** The parameter's template name, or {@code #i} when it has none. */
    String label(int index) {
        return names[index] != null ? "\"" + names[index] + "\" (#" + index + ")" : "#" + index;
    }

    Class<?> type(int index) {
        return method.getParameterTypes()[index];
    }

    /** The names templates can use, for error messages. */
    String available() {
        StringJoiner j = new StringJoiner(", ", "[", "]");
        for (int i = 0; i < names.length; i++) {
            j.add(names[i] != null ? names[i] + "/" + i : String.valueOf(i));
        }
        return j.toString();
    }
}
