package io.latchkey.spring;

import io.latchkey.annotations.Key;
import io.latchkey.annotations.KeyExpressionResolver;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.context.expression.BeanFactoryResolver;
import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.expression.Expression;
import org.springframework.expression.ParseException;
import org.springframework.expression.spel.SpelNode;
import org.springframework.expression.spel.ast.VariableReference;
import org.springframework.expression.spel.standard.SpelExpression;
import org.springframework.expression.spel.standard.SpelExpressionParser;

/**
 * Key attributes written in SpEL: an attribute containing {@code #} followed by a letter or {@code _}
 * ({@code "#orderId"}, {@code "#order.customer.id"}, {@code "'order:' + #order.id"}, {@code "#p0"},
 * {@code "#root.methodName"}) is parsed here; anything else ({@code "order:{orderId}"}) is left to the built-in
 * templates. Variables are the parameters by name (and {@link Key} name), {@code #p0}/{@code #a0} by index; the root
 * object has {@code method}, {@code methodName} and {@code args}; {@code @beanName} reaches beans. Parse errors and
 * unknown variables fail at startup.
 */
final class SpelKeyExpressions implements KeyExpressionResolver {

    private static final Pattern SPEL = Pattern.compile("#[A-Za-z_]");
    private static final Pattern INDEX_ALIAS = Pattern.compile("[ap]\\d+");
    private static final Set<String> BUILT_IN = Set.of("root", "this");

    private final SpelExpressionParser parser = new SpelExpressionParser();
    private final ParameterNameDiscoverer names = new DefaultParameterNameDiscoverer();
    private final BeanFactory beanFactory;

    SpelKeyExpressions(BeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    /** The object {@code #root} refers to in a key expression. */
    record KeyRoot(Method method, Object[] args) {
        /** {@code #root.methodName}. */
        public String getMethodName() {
            return method.getName();
        }

        /** {@code #root.method}. */
        public Method getMethod() {
            return method;
        }

        /** {@code #root.args}. */
        public Object[] getArgs() {
            return args;
        }
    }

    @Override
    public Optional<Function<Object[], String>> compile(Method method, String expression) {
        if (!SPEL.matcher(expression).find()) {
            return Optional.empty();
        }
        Expression parsed;
        try {
            parsed = parser.parseExpression(expression);
        } catch (ParseException e) {
            throw new IllegalArgumentException("invalid SpEL \"" + expression + "\": " + e.getSimpleMessage(), e);
        }
        List<String> variables = variables(method);
        for (String v : referencedVariables(parsed)) {
            if (!variables.contains(v) && !BUILT_IN.contains(v) && !isIndexAlias(v, method)) {
                int n = method.getParameterCount();
                throw new IllegalArgumentException("SpEL \"" + expression + "\" refers to #" + v + ", which is not a"
                        + " parameter; parameters are " + variables + (n == 0 ? "" : n == 1 ? " (or #p0" : " (or #p0..#p"
                        + (n - 1)) + (n == 0 ? "" : "; compile with -parameters or name them with @Key)"));
            }
        }
        BeanFactoryResolver beans = beanFactory == null ? null : new BeanFactoryResolver(beanFactory);
        return Optional.of(args -> {
            Object[] a = args == null ? new Object[0] : args;
            MethodBasedEvaluationContext context = new MethodBasedEvaluationContext(new KeyRoot(method, a), method, a,
                    names);
            bindKeyNames(method, a, context);
            if (beans != null) {
                context.setBeanResolver(beans);
            }
            Object value = parsed.getValue(context);
            return value == null ? null : value instanceof Enum<?> e ? e.name() : String.valueOf(value);
        });
    }

    private static void bindKeyNames(Method method, Object[] args, MethodBasedEvaluationContext context) {
        Parameter[] ps = method.getParameters();
        for (int i = 0; i < ps.length && i < args.length; i++) {
            Key k = ps[i].getAnnotation(Key.class);
            if (k != null) {
                context.setVariable(k.value(), args[i]);
            }
        }
    }

    private List<String> variables(Method method) {
        List<String> out = new ArrayList<>();
        String[] discovered = names.getParameterNames(method);
        Parameter[] ps = method.getParameters();
        for (int i = 0; i < ps.length; i++) {
            if (discovered != null) {
                out.add(discovered[i]);
            }
            Key k = ps[i].getAnnotation(Key.class);
            if (k != null) {
                out.add(k.value());
            }
        }
        return out;
    }

    private static boolean isIndexAlias(String v, Method method) {
        return INDEX_ALIAS.matcher(v).matches() && Integer.parseInt(v.substring(1)) < method.getParameterCount();
    }

    private static Set<String> referencedVariables(Expression e) {
        Set<String> out = new LinkedHashSet<>();
        if (e instanceof SpelExpression s) {
            collect(s.getAST(), out);
        }
        return out;
    }

    private static void collect(SpelNode node, Set<String> out) {
        if (node instanceof VariableReference) {
            String text = node.toStringAST(); // "#name"
            out.add(text.startsWith("#") ? text.substring(1) : text);
        }
        for (int i = 0; i < node.getChildCount(); i++) {
            collect(node.getChild(i), out);
        }
    }
}
