package io.latchkey.apiguard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleReader;
import java.lang.module.ModuleReference;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The public surface of one module as text: for every public type of an unqualified export, its declaration and its
 * public and protected constructors, methods and fields with generic signatures and throws clauses, one per line,
 * sorted. What a compatible change may add to and never silently change.
 */
final class ApiDump {

    private ApiDump() {
    }

    static List<String> of(ModuleReference module) {
        ModuleDescriptor d = module.descriptor();
        // an automatic module (io.latchkey.testing) exports every package
        Set<String> exported = d.isAutomatic() ? new TreeSet<>(d.packages()) : d.exports().stream()
                .filter(e -> !e.isQualified())
                .map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toCollection(TreeSet::new));
        List<String> lines = new ArrayList<>();
        lines.add((d.isAutomatic() ? "automatic module " : "module ") + d.name());
        for (ModuleDescriptor.Exports e : new TreeSet<>(d.exports())) {
            lines.add("  exports " + e.source() + (e.isQualified() ? " to " + new TreeSet<>(e.targets()) : ""));
        }
        for (ModuleDescriptor.Requires r : new TreeSet<>(d.requires())) {
            if (!r.name().equals("java.base")) {
                lines.add("  requires " + r.modifiers().stream().map(m -> m.toString().toLowerCase() + " ")
                        .sorted().collect(Collectors.joining()) + r.name());
            }
        }
        for (String type : classNames(module, exported)) {
            Class<?> c;
            try {
                c = Class.forName(type, false, ApiDump.class.getClassLoader());
            } catch (ClassNotFoundException ex) {
                throw new IllegalStateException("cannot load " + type + " from the class path", ex);
            }
            if (isApi(c)) {
                lines.addAll(type(c));
            }
        }
        return lines;
    }

    private static Set<String> classNames(ModuleReference module, Set<String> packages) {
        try (ModuleReader reader = module.open()) {
            return reader.list()
                    .filter(n -> n.endsWith(".class") && !n.endsWith("module-info.class")
                            && !n.endsWith("package-info.class"))
                    .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
                    .filter(n -> packages.contains(n.substring(0, n.lastIndexOf('.'))))
                    .collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Public, and every enclosing type public too; no anonymous or local classes. */
    private static boolean isApi(Class<?> c) {
        for (Class<?> t = c; t != null; t = t.getDeclaringClass()) {
            if (t.isAnonymousClass() || t.isLocalClass() || t.isSynthetic()
                    || !(Modifier.isPublic(t.getModifiers()) || t != c && Modifier.isProtected(t.getModifiers()))) {
                return false;
            }
        }
        return true;
    }

    private static List<String> type(Class<?> c) {
        List<String> lines = new ArrayList<>();
        StringBuilder header = new StringBuilder(declaration(c));
        Type superclass = c.getGenericSuperclass();
        if (superclass != null && superclass != Object.class && !c.isEnum() && !c.isRecord()) {
            header.append(" extends ").append(superclass.getTypeName());
        }
        Type[] interfaces = c.getGenericInterfaces();
        if (interfaces.length > 0 && !c.isAnnotation()) {
            header.append(c.isInterface() ? " extends " : " implements ").append(Arrays.stream(interfaces)
                    .map(Type::getTypeName).collect(Collectors.joining(", ")));
        }
        lines.add("");
        lines.add(header.toString());
        Set<String> members = new TreeSet<>();
        for (Field f : c.getDeclaredFields()) {
            if (visible(f) && !f.isSynthetic()) {
                members.add(strip(f.toGenericString(), c));
            }
        }
        for (Constructor<?> k : c.getDeclaredConstructors()) {
            if (visible(k) && !k.isSynthetic()) {
                members.add(strip(k.toGenericString(), c));
            }
        }
        for (Method m : c.getDeclaredMethods()) {
            if (visible(m) && !m.isSynthetic() && !m.isBridge()) {
                Object dflt = m.getDefaultValue();
                members.add(strip(m.toGenericString(), c) + (dflt == null ? "" : " default " + text(dflt)));
            }
        }
        for (String m : members) {
            lines.add("  " + m);
        }
        return lines;
    }

    private static String declaration(Class<?> c) {
        String kind = c.isAnnotation() ? "@interface" : c.isInterface() ? "interface" : c.isEnum() ? "enum"
                : c.isRecord() ? "record" : "class";
        int mods = c.getModifiers() & (c.isInterface() ? Modifier.interfaceModifiers() : Modifier.classModifiers());
        if (c.isInterface() || c.isEnum() || c.isRecord()) {
            mods &= ~(Modifier.ABSTRACT | Modifier.FINAL | (c.isInterface() || c.isEnum() || c.isRecord()
                    ? Modifier.STATIC : 0) | Modifier.INTERFACE);
        }
        String params = c.getTypeParameters().length == 0 ? "" : Arrays.stream(c.getTypeParameters())
                .map(t -> t.getName() + (t.getBounds().length == 1 && t.getBounds()[0] == Object.class ? ""
                        : " extends " + Arrays.stream(t.getBounds()).map(Type::getTypeName)
                                .collect(Collectors.joining(" & "))))
                .collect(Collectors.joining(", ", "<", ">"));
        String m = Modifier.toString(mods);
        return (m.isEmpty() ? "" : m + " ") + kind + " " + c.getName() + params;
    }

    private static boolean visible(Member m) {
        return Modifier.isPublic(m.getModifiers()) || Modifier.isProtected(m.getModifiers());
    }

    /** Drops the declaring type from a member's name: {@code ...Latchkey.connect(...)} reads {@code connect(...)}. */
    private static String strip(String signature, Class<?> owner) {
        String prefix = owner.getName() + ".";
        int paren = signature.indexOf('(');
        int at = signature.lastIndexOf(" " + prefix, paren < 0 ? signature.length() : paren);
        if (at < 0) {
            return signature;
        }
        return signature.substring(0, at + 1) + signature.substring(at + 1 + prefix.length());
    }

    private static String text(Object value) {
        if (value.getClass().isArray()) {
            int n = java.lang.reflect.Array.getLength(value);
            List<String> items = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                items.add(text(java.lang.reflect.Array.get(value, i)));
            }
            return "{" + String.join(", ", items) + "}";
        }
        if (value instanceof String s) {
            return '"' + s + '"';
        }
        if (value instanceof Class<?> k) {
            return k.getName() + ".class";
        }
        return String.valueOf(value);
    }
}
