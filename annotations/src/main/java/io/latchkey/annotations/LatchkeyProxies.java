package io.latchkey.annotations;

import io.latchkey.core.FailurePolicy;
import io.latchkey.core.Latchkey;
import io.latchkey.dedup.DeduplicatorOptions;
import io.latchkey.dedup.Deduplicators;
import io.latchkey.dedup.IdempotencyOptions;
import io.latchkey.dedup.IdempotentExecutor;
import io.latchkey.dedup.ResultCodec;
import io.latchkey.lock.LockOptions;
import io.latchkey.lock.Locks;
import io.latchkey.ratelimit.RateLimit;
import io.latchkey.ratelimit.RateLimiter;
import io.latchkey.ratelimit.RateLimiterOptions;
import io.latchkey.ratelimit.RateLimiters;
import io.latchkey.semaphore.DistributedSemaphore;
import io.latchkey.semaphore.SemaphoreOptions;
import io.latchkey.semaphore.Semaphores;
import java.lang.annotation.Annotation;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Wires the coordination annotations ({@link Idempotent}, {@link Deduplicated}, {@link RateLimited},
 * {@link ConcurrencyLimited}, {@link DistributedLock}) onto a service without Spring: a
 * {@link java.lang.reflect.Proxy} of the service interface runs each annotated method inside its chain.
 *
 * <pre>{@code
 * LatchkeyProxies proxies = LatchkeyProxies.builder(latchkey)
 *         .rateLimiter("partner-api", RateLimit.slidingLog(100, Duration.ofMinutes(1)))
 *         .resultCodec(Receipt.class, ResultCodec.of(Receipt::toJson, Receipt::fromJson))
 *         .build();
 * OrderService orders = proxies.proxy(OrderService.class, new DefaultOrderService(db));
 * }</pre>
 *
 * <p>Build one proxy per service at startup: {@link #proxy} reads and validates every annotation of the interface
 * (templates, parameter names, durations, limits, codecs, ordering) and throws {@link IllegalArgumentException}
 * naming the method and attribute when something is wrong, so a mistake fails at startup, not at the first call.
 * Annotations are read from the target class's method, or from the interface method when the class method has none
 * (the rule is on {@link #plan(Class, Method)}); methods without them, default methods without them, and
 * {@code equals}/{@code hashCode}/{@code toString} pass straight to the target. Thread-safe.
 *
 * <p>Frameworks that make their own proxies (Spring AOP, CGLIB) use the same chains through
 * {@link #plan(Class, Method)} and {@link AnnotatedMethod#invoke(Object[], Invocation)}, and plug in placeholders
 * and key expressions with {@link Builder#attributeResolver} and {@link Builder#keyExpressions}, so this module needs
 * no framework dependency.
 */
public final class LatchkeyProxies {

    private static final List<Class<? extends Annotation>> ANNOTATIONS = List.of(Idempotent.class,
            Deduplicated.class, RateLimited.class, ConcurrencyLimited.class, DistributedLock.class);

    private final Latchkey latchkey;
    private final Map<Class<? extends Annotation>, Integer> order;
    private final Map<Class<?>, ResultCodec<?>> codecs;
    private final Function<Type, ResultCodec<?>> codecFallback;
    private final Executor asyncExecutor;
    private final InvocationListener listener;
    private final LockOptions lockOptions;
    private final SemaphoreOptions semaphoreOptions;
    private final DeduplicatorOptions deduplicatorOptions;
    private final FailurePolicy idempotencyFailurePolicy;
    private final RateLimitSupport rateLimits;
    private final Locks locks;
    private final UnaryOperator<String> attributeResolver; // null: attributes are used as written
    private final KeyExpressionResolver keyExpressions; // null: built-in templates only
    private final Duration defaultLease;
    // shared primitives by name, with the declaration that created them (two declarations must agree)
    private final Map<String, Shared<DistributedSemaphore>> semaphores = new HashMap<>();
    private final Map<String, Shared<io.latchkey.dedup.Deduplicator>> deduplicators = new HashMap<>();
    private final Map<String, Shared<Duration>> idempotency = new HashMap<>();

    private record Shared<T>(T value, Object config, String declaredBy) {
    }

    private LatchkeyProxies(Builder b) {
        this.latchkey = b.latchkey;
        this.order = Map.copyOf(b.order);
        this.codecs = Map.copyOf(b.codecs);
        this.codecFallback = b.codecFallback;
        this.asyncExecutor = b.asyncExecutor != null ? b.asyncExecutor : defaultExecutor();
        this.listener = b.listener;
        this.lockOptions = b.lockOptions;
        this.semaphoreOptions = b.semaphoreOptions;
        this.deduplicatorOptions = b.deduplicatorOptions;
        this.idempotencyFailurePolicy = b.idempotencyFailurePolicy;
        this.rateLimits = new RateLimitSupport(latchkey, b.rateLimiterOptions, b.rateLimiters);
        this.locks = Locks.of(latchkey);
        this.attributeResolver = b.attributeResolver;
        this.keyExpressions = b.keyExpressions;
        this.defaultLease = b.defaultLease;
    }

    /** A factory with the defaults. */
    public static LatchkeyProxies of(Latchkey latchkey) {
        return builder(latchkey).build();
    }

    /** A builder, to register named rate limiters, result codecs, options and the chain order. */
    public static Builder builder(Latchkey latchkey) {
        return new Builder(Objects.requireNonNull(latchkey, "latchkey"));
    }

    /** The client the primitives use. */
    public Latchkey latchkey() {
        return latchkey;
    }

    /**
     * A proxy of {@code serviceInterface} that runs {@code target}'s methods inside their annotations' chains.
     *
     * @throws IllegalArgumentException if {@code serviceInterface} is not an interface, or an annotation is invalid
     *                                  (message names the method and the attribute)
     */
    public <T> T proxy(Class<T> serviceInterface, T target) {
        Objects.requireNonNull(serviceInterface, "serviceInterface");
        Objects.requireNonNull(target, "target");
        if (!serviceInterface.isInterface()) {
            throw new IllegalArgumentException("serviceInterface must be an interface, was " + serviceInterface);
        }
        if (!serviceInterface.isInstance(target)) {
            throw new IllegalArgumentException("target " + target.getClass().getName() + " does not implement "
                    + serviceInterface.getName());
        }
        Map<Method, MethodPlan> plans = rollBackOnFailure(() -> plans(serviceInterface, target.getClass()));
        Map<Method, Method> callable = new HashMap<>();
        for (Method m : serviceInterface.getMethods()) {
            if (!Modifier.isStatic(m.getModifiers())) {
                callable.put(m, accessible(m));
            }
        }
        Object proxy = Proxy.newProxyInstance(serviceInterface.getClassLoader(), new Class<?>[] {serviceInterface},
                new Handler(serviceInterface, target, plans, Map.copyOf(callable)));
        return serviceInterface.cast(proxy);
    }

    /**
     * Plans one method for an interceptor: the seam a framework integration (e.g. Spring AOP on CGLIB or JDK
     * proxies) uses to apply the annotations with the same behaviour as {@link #proxy}, which plans through here.
     *
     * <p><b>Where annotations are read.</b> The declarations of {@code method}'s signature (name and parameter
     * types) are searched in this order: {@code targetClass}, then its superclasses (most specific first), then
     * every interface they implement (directly or through other interfaces, in declaration order). The first
     * declaration carrying at least one coordination annotation ({@link Idempotent}, {@link Deduplicated},
     * {@link RateLimited}, {@link ConcurrencyLimited}, {@link DistributedLock}) supplies all of them, together with
     * its parameters' {@link Key} and {@link FencingToken} annotations; annotations on the other declarations are
     * ignored (they are never merged). So annotations on the class method win, and the interface method's apply
     * when the class method has none. Default names ({@code Type.method}) use the type of that declaration.
     *
     * <p>Every attribute is parsed and validated here, after the builder's
     * {@linkplain Builder#attributeResolver attribute resolver} and {@linkplain Builder#keyExpressions key-expression
     * hook}; limiters, deduplicators and semaphores named by the annotations are created (or shared with earlier
     * plans of the same name and configuration). No Redis call is made. Planning the same method twice gives
     * equivalent plans; cache the result per (class, method). If planning fails, nothing it registered is kept.
     *
     * @param targetClass the class of the object calls will reach (for Spring: the target's user class)
     * @param method      the called method: declared by {@code targetClass}, a superclass or an interface of it
     * @return the chain, or empty when no declaration carries a coordination annotation (or the method is static)
     * @throws IllegalArgumentException if an annotation is invalid (template, parameter name, duration, limit, codec,
     *                                  order, an unsupported return type, ...), with the declaring type, the method
     *                                  and the attribute in the message; or if {@code method} is not a method of
     *                                  {@code targetClass}
     * @throws NullPointerException     if an argument is null
     */
    public Optional<AnnotatedMethod> plan(Class<?> targetClass, Method method) {
        Objects.requireNonNull(targetClass, "targetClass");
        Objects.requireNonNull(method, "method");
        if (!method.getDeclaringClass().isAssignableFrom(targetClass)) {
            throw new IllegalArgumentException("method " + MethodParameters.describe(method) + " is not a method of "
                    + targetClass.getName());
        }
        if (Modifier.isStatic(method.getModifiers())) {
            return Optional.empty();
        }
        return Optional.ofNullable(rollBackOnFailure(() -> planDeclared(targetClass, method)));
    }

    /** Runs {@code planning}; if it fails, forgets the shared primitives it registered. */
    private synchronized <T> T rollBackOnFailure(java.util.function.Supplier<T> planning) {
        var semaphoresBefore = new HashMap<>(semaphores);
        var deduplicatorsBefore = new HashMap<>(deduplicators);
        var idempotencyBefore = new HashMap<>(idempotency);
        Object rateLimitsBefore = rateLimits.snapshot();
        try {
            return planning.get();
        } catch (RuntimeException | Error e) {
            semaphores.clear();
            semaphores.putAll(semaphoresBefore);
            deduplicators.clear();
            deduplicators.putAll(deduplicatorsBefore);
            idempotency.clear();
            idempotency.putAll(idempotencyBefore);
            rateLimits.restore(rateLimitsBefore);
            throw e;
        }
    }

    /** The methods of {@code serviceInterface} that carry coordination annotations (for tests and diagnostics). */
    Map<Method, MethodPlan> plans(Class<?> serviceInterface, Class<?> targetClass) {
        Map<Method, MethodPlan> plans = new HashMap<>();
        for (Method m : serviceInterface.getMethods()) {
            if (Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            MethodPlan plan = planDeclared(targetClass, m);
            if (plan != null) {
                plans.put(m, plan);
            }
        }
        return Map.copyOf(plans);
    }

    /** A copy of {@code m} that this module may invoke even when the interface is not public. */
    static Method accessible(Method m) {
        try {
            Method copy = m.getDeclaringClass().getMethod(m.getName(), m.getParameterTypes());
            copy.setAccessible(true);
            return copy;
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        } catch (RuntimeException e) { // InaccessibleObjectException: a named module that does not open the package
            throw new IllegalArgumentException(MethodParameters.describe(m) + ": cannot be invoked by"
                    + " io.latchkey.annotations (" + e.getMessage() + "); make the interface public or open its"
                    + " package to the annotations module", e);
        }
    }

    /** The chain of {@code method} as {@code targetClass} sees it (see {@link #plan(Class, Method)}), or null. */
    private MethodPlan planDeclared(Class<?> targetClass, Method method) {
        List<Method> declarations = declarations(targetClass, method);
        for (Method d : declarations) {
            if (ANNOTATIONS.stream().anyMatch(d::isAnnotationPresent)) {
                return plan(d);
            }
        }
        for (Method d : declarations) {
            plan(d); // no coordination annotation: only rejects a stray @FencingToken
        }
        return null;
    }

    /** The declarations of {@code method}'s signature: classes most specific first, then interfaces. */
    private static List<Method> declarations(Class<?> targetClass, Method method) {
        String name = method.getName();
        Class<?>[] types = method.getParameterTypes();
        List<Method> found = new ArrayList<>();
        java.util.Set<Class<?>> interfaces = new java.util.LinkedHashSet<>();
        for (Class<?> c = targetClass; c != null && c != Object.class; c = c.getSuperclass()) {
            if (!c.isInterface()) {
                addDeclared(found, c, name, types);
            }
            collectInterfaces(c.isInterface() ? new Class<?>[] {c} : c.getInterfaces(), interfaces);
        }
        for (Class<?> i : interfaces) {
            addDeclared(found, i, name, types);
        }
        if (!found.contains(method)) {
            found.add(method);
        }
        return found;
    }

    private static void addDeclared(List<Method> found, Class<?> type, String name, Class<?>[] types) {
        try {
            Method d = type.getDeclaredMethod(name, types);
            if (!d.isBridge() && !d.isSynthetic() && !Modifier.isStatic(d.getModifiers())) {
                found.add(d);
            }
        } catch (NoSuchMethodException e) {
            // not declared here
        }
    }

    private static void collectInterfaces(Class<?>[] direct, java.util.Set<Class<?>> into) {
        for (Class<?> i : direct) {
            if (into.add(i)) {
                collectInterfaces(i.getInterfaces(), into);
            }
        }
    }

    /** Builds a method's chain, or null when it has no coordination annotation. */
    MethodPlan plan(Method m) {
        List<Annotation> found = new ArrayList<>();
        for (Class<? extends Annotation> a : ANNOTATIONS) {
            Annotation x = m.getAnnotation(a);
            if (x != null) {
                found.add(x);
            }
        }
        if (!m.isAnnotationPresent(DistributedLock.class)) {
            for (java.lang.reflect.Parameter p : m.getParameters()) {
                if (p.isAnnotationPresent(FencingToken.class)) {
                    throw new IllegalArgumentException(MethodParameters.describe(m) + ": @FencingToken needs"
                            + " @DistributedLock on the method");
                }
            }
        }
        if (found.isEmpty()) {
            return null;
        }
        MethodParameters params = new MethodParameters(m);
        String desc = params.description();
        ReturnKind kind = ReturnKind.of(m, desc);
        MethodPlanContext ctx = new MethodPlanContext(m, params, kind, attributeResolver, keyExpressions, defaultLease);
        if (m.isAnnotationPresent(Idempotent.class) && m.isAnnotationPresent(Deduplicated.class)) {
            throw new IllegalArgumentException(desc + ": @Idempotent and @Deduplicated cannot be combined (@Idempotent"
                    + " already runs the method once per key and replays its result)");
        }
        List<Step> steps = new ArrayList<>();
        for (Annotation a : found) {
            steps.add(step(a, ctx));
        }
        steps.sort(Comparator.comparingInt(Step::order));
        for (int i = 1; i < steps.size(); i++) {
            if (steps.get(i).order() == steps.get(i - 1).order()) {
                throw new IllegalArgumentException(desc + ": @" + steps.get(i - 1).annotationType().getSimpleName()
                        + " and @" + steps.get(i).annotationType().getSimpleName() + " have the same order "
                        + steps.get(i).order() + "; give one of them another order");
            }
        }
        return new MethodPlan(m, desc, kind, steps, asyncExecutor, listener);
    }

    private int orderOf(Class<? extends Annotation> type, int declared) {
        return declared != Order.DEFAULT ? declared : order.get(type);
    }

    private Step step(Annotation a, MethodPlanContext ctx) {
        if (a instanceof DistributedLock l) {
            return new LockStep(l, ctx, orderOf(DistributedLock.class, l.order()), locks, lockOptions);
        }
        if (a instanceof ConcurrencyLimited c) {
            String name = ctx.nameOrDefault(c.name(), "@ConcurrencyLimited(name)");
            DistributedSemaphore s = shared(semaphores, name, c.permits(), ctx, "@ConcurrencyLimited", "permits",
                    () -> Semaphores.of(latchkey).semaphore(name, c.permits(), semaphoreOptions));
            return new SemaphoreStep(c, ctx, orderOf(ConcurrencyLimited.class, c.order()), s);
        }
        if (a instanceof Deduplicated d) {
            String name = ctx.nameOrDefault(d.name(), "@Deduplicated(name)");
            Duration ttl = ctx.positive(d.ttl(), "@Deduplicated(ttl)");
            var dd = shared(deduplicators, name, ttl, ctx, "@Deduplicated", "ttl",
                    () -> Deduplicators.of(latchkey).deduplicator(name, ttl, deduplicatorOptions));
            return new DedupStep(d, ctx, orderOf(Deduplicated.class, d.order()), dd, asyncExecutor);
        }
        if (a instanceof Idempotent i) {
            if (ctx.kind() == ReturnKind.FLUX) {
                throw new IllegalArgumentException(ctx.description() + ": @Idempotent cannot replay a Flux (its"
                        + " elements are not one stored result); return a Mono, e.g. Mono<List<T>> with"
                        + " collectList(), or use @Deduplicated to skip duplicates");
            }
            String name = ctx.nameOrDefault(i.name(), "@Idempotent(name)");
            Duration ttl = ctx.positive(i.ttl(), "@Idempotent(ttl)");
            Duration lease = ctx.lease(i.lease(), "@Idempotent(lease)");
            IdempotencyOptions.Builder ob = ctx.wrap("@Idempotent", () -> IdempotencyOptions.builder().ttl(ttl)
                    .lease(lease).failurePolicy(idempotencyFailurePolicy));
            String waitText = ctx.text(i.waitForResult(), "@Idempotent(waitForResult)");
            if (!waitText.isBlank()) {
                Duration wait = DurationText.nonNegative(waitText, ctx.description() + ": @Idempotent(waitForResult)");
                ob.waitForResult(wait);
            }
            IdempotencyOptions options = ob.build();
            shared(idempotency, name, ttl, ctx, "@Idempotent", "ttl", () -> ttl);
            ResultCodec<Object> codec = codec(ctx);
            IdempotentExecutor<Object> ex = ctx.wrap("@Idempotent(name)",
                    () -> Deduplicators.of(latchkey).idempotency(name, codec, options));
            return new IdempotentStep(i, ctx, orderOf(Idempotent.class, i.order()), ex);
        }
        RateLimited r = (RateLimited) a;
        return rateLimits.step(r, ctx, orderOf(RateLimited.class, r.order()));
    }

    private synchronized <T> T shared(Map<String, Shared<T>> map, String name, Object config, MethodPlanContext ctx,
                                      String annotation, String attribute, java.util.function.Supplier<T> create) {
        Shared<T> s = map.get(name);
        if (s != null) {
            if (!s.config().equals(config)) {
                throw new IllegalArgumentException(ctx.description() + ": " + annotation + " \"" + name + "\" has "
                        + attribute + " " + config + " but " + s.declaredBy() + " declares it with " + attribute + " " + s.config()
                        + "; one name must have one configuration");
            }
            return s.value();
        }
        T value = ctx.wrap(annotation + "(name)", create);
        map.put(name, new Shared<>(value, config, ctx.description()));
        return value;
    }

    @SuppressWarnings("unchecked")
    private ResultCodec<Object> codec(MethodPlanContext ctx) {
        if (ctx.kind() == ReturnKind.VOID) {
            return (ResultCodec<Object>) (ResultCodec<?>) ResultCodec.string();
        }
        Type t = ReturnKind.valueType(ctx.method(), ctx.kind());
        if (t == null) {
            throw new IllegalArgumentException(ctx.description() + ": @Idempotent needs the result type; declare the"
                    + " future's type argument (e.g. CompletableFuture<Receipt>)");
        }
        Class<?> raw = t instanceof Class<?> c ? c : t instanceof ParameterizedType p ? (Class<?>) p.getRawType()
                : null;
        ResultCodec<?> codec = raw != null ? codecs.get(raw) : null;
        if (codec == null && raw != null) {
            codec = builtinCodec(raw);
        }
        if (codec == null && codecFallback != null) {
            codec = codecFallback.apply(t);
        }
        if (codec == null) {
            throw new IllegalArgumentException(ctx.description() + ": @Idempotent has no result codec for " + t
                    .getTypeName() + "; register one with LatchkeyProxies.builder(latchkey).resultCodec("
                    + (raw != null ? raw.getSimpleName() : "Type") + ".class, codec) or .resultCodecs(type -> ...)");
        }
        return (ResultCodec<Object>) codec;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static ResultCodec<?> builtinCodec(Class<?> c) {
        if (c == Void.class || c == String.class) {
            return ResultCodec.string();
        }
        if (c == long.class || c == Long.class) {
            return ResultCodec.longs();
        }
        if (c == byte[].class) {
            return ResultCodec.bytes();
        }
        if (c == int.class || c == Integer.class) {
            return ResultCodec.of(String::valueOf, Integer::valueOf);
        }
        if (c == boolean.class || c == Boolean.class) {
            return ResultCodec.of(String::valueOf, Boolean::valueOf);
        }
        if (c == double.class || c == Double.class) {
            return ResultCodec.of(String::valueOf, Double::valueOf);
        }
        if (c == short.class || c == Short.class) {
            return ResultCodec.of(String::valueOf, Short::valueOf);
        }
        if (c == BigDecimal.class) {
            return ResultCodec.of(BigDecimal::toString, BigDecimal::new);
        }
        if (c == BigInteger.class) {
            return ResultCodec.of(BigInteger::toString, BigInteger::new);
        }
        if (c.isEnum()) {
            Class<? extends Enum> e = (Class<? extends Enum>) c;
            return ResultCodec.of(v -> ((Enum<?>) v).name(), s -> Enum.valueOf(e, s));
        }
        return null;
    }

    private static Executor defaultExecutor() {
        AtomicInteger n = new AtomicInteger();
        // idle threads end after 30 s, so an unused factory keeps no threads and needs no close()
        ThreadPoolExecutor pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), r -> {
                    Thread t = new Thread(r, "latchkey-annotations-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        return pool;
    }

    private static final class Handler implements InvocationHandler {
        private final Class<?> iface;
        private final Object target;
        private final Map<Method, MethodPlan> plans;
        private final Map<Method, Method> callable;

        Handler(Class<?> iface, Object target, Map<Method, MethodPlan> plans, Map<Method, Method> callable) {
            this.iface = iface;
            this.target = target;
            this.plans = plans;
            this.callable = callable;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.getDeclaringClass() == Object.class) {
                switch (method.getName()) {
                    case "equals":
                        Object other = args[0];
                        if (other != null && Proxy.isProxyClass(other.getClass())
                                && Proxy.getInvocationHandler(other) instanceof Handler h) {
                            other = h.target;
                        }
                        return target.equals(other);
                    case "hashCode":
                        return target.hashCode();
                    case "toString":
                        return "LatchkeyProxy[" + iface.getSimpleName() + " -> " + target + "]";
                    default:
                        break;
                }
            }
            MethodPlan plan = plans.get(method);
            Method call = callable.getOrDefault(method, method);
            if (plan != null) {
                return plan.invoke(args, arguments -> invokeTarget(call, arguments));
            }
            return invokeTarget(call, args);
        }

        private Object invokeTarget(Method call, Object[] args) throws Throwable {
            try {
                return call.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }

    /** Builder of {@link LatchkeyProxies}. */
    public static final class Builder {
        private final Latchkey latchkey;
        private final Map<Class<? extends Annotation>, Integer> order = new LinkedHashMap<>();
        private final Map<Class<?>, ResultCodec<?>> codecs = new HashMap<>();
        private Function<Type, ResultCodec<?>> codecFallback;
        private Executor asyncExecutor;
        private InvocationListener listener;
        private LockOptions lockOptions = LockOptions.defaults();
        private SemaphoreOptions semaphoreOptions = SemaphoreOptions.defaults();
        private DeduplicatorOptions deduplicatorOptions = DeduplicatorOptions.defaults();
        private FailurePolicy idempotencyFailurePolicy = FailurePolicy.FAIL_CLOSED;
        private final Map<String, RateLimiter> rateLimiters = new LinkedHashMap<>();
        private RateLimiterOptions rateLimiterOptions = RateLimiterOptions.defaults();
        private UnaryOperator<String> attributeResolver;
        private KeyExpressionResolver keyExpressions;
        private Duration defaultLease = Duration.ofSeconds(30);

        private Builder(Latchkey latchkey) {
            this.latchkey = latchkey;
            order.put(Idempotent.class, Order.IDEMPOTENCY);
            order.put(Deduplicated.class, Order.IDEMPOTENCY);
            order.put(RateLimited.class, Order.RATE_LIMIT);
            order.put(ConcurrencyLimited.class, Order.CONCURRENCY);
            order.put(DistributedLock.class, Order.LOCK);
        }

        /**
         * Replaces the default chain order (see {@link Order}) for every proxy of this factory: the listed
         * annotation types come first, outermost first, then the unlisted ones in their default order. An
         * {@code order} attribute on an annotation still wins.
         *
         * <pre>{@code .order(DistributedLock.class, RateLimited.class)   // lock, rate limit, idempotency, semaphore}</pre>
         */
        @SafeVarargs
        public final Builder order(Class<? extends Annotation>... outermostFirst) {
            Objects.requireNonNull(outermostFirst, "outermostFirst");
            List<Class<? extends Annotation>> sequence = new ArrayList<>();
            for (Class<? extends Annotation> a : outermostFirst) {
                Objects.requireNonNull(a, "outermostFirst element");
                if (!ANNOTATIONS.contains(a)) {
                    throw new IllegalArgumentException("order: " + a.getName() + " is not a Latchkey coordination"
                            + " annotation (" + ANNOTATIONS.stream().map(Class::getSimpleName).toList() + ")");
                }
                if (sequence.contains(a)) {
                    throw new IllegalArgumentException("order lists @" + a.getSimpleName() + " twice");
                }
                sequence.add(a);
            }
            for (Class<? extends Annotation> a : ANNOTATIONS) {
                if (!sequence.contains(a)) {
                    sequence.add(a);
                }
            }
            int position = 0;
            for (Class<? extends Annotation> a : sequence) {
                position += 100;
                order.put(a, position);
            }
            return this;
        }

        /**
         * Registers a limiter that {@link RateLimited} methods reference by {@code name} (declaring no inline
         * limits), e.g. one quota shared by several methods, configured in code rather than in annotations.
         *
         * @throws IllegalArgumentException if the name is taken or the limits are invalid
         */
        public Builder rateLimiter(String name, RateLimit... limits) {
            return rateLimiter(RateLimiters.of(latchkey).limiter(name, rateLimiterOptions, limits));
        }

        /** Registers a limiter built elsewhere (any options), under its {@link RateLimiter#name()}. */
        public Builder rateLimiter(RateLimiter limiter) {
            Objects.requireNonNull(limiter, "limiter");
            if (rateLimiters.putIfAbsent(limiter.name(), limiter) != null) {
                throw new IllegalArgumentException("a rate limiter named \"" + limiter.name()
                        + "\" is already registered");
            }
            return this;
        }

        /**
         * Options (failure policy, timeout) of the limiters declared inline by {@link RateLimited} and of those
         * registered afterwards with {@link #rateLimiter(String, RateLimit...)}. Default
         * {@link RateLimiterOptions#defaults()} (FAIL_CLOSED).
         */
        public Builder rateLimiterOptions(RateLimiterOptions options) {
            this.rateLimiterOptions = Objects.requireNonNull(options, "options");
            return this;
        }

        /** The codec {@link Idempotent} methods returning {@code type} (or a future of it) store results with. */
        public <T> Builder resultCodec(Class<T> type, ResultCodec<T> codec) {
            Objects.requireNonNull(type, "type");
            codecs.put(type, Objects.requireNonNull(codec, "codec"));
            return this;
        }

        /**
         * Codecs for result types that have none registered or built in, e.g. one JSON codec for every type:
         * {@code type -> ResultCodec.of(mapper::writeValueAsString, s -> mapper.readValue(s, mapper.constructType(type)))}.
         * Return null for types it cannot handle.
         */
        public Builder resultCodecs(Function<Type, ResultCodec<?>> codecForType) {
            this.codecFallback = Objects.requireNonNull(codecForType, "codecForType");
            return this;
        }

        /**
         * Where an async or reactive method is invoked when its coordination was granted on another thread (a
         * Redis reply or a wake-up), and where its outcome (the returned future's completion, a {@code Mono}'s
         * value, a terminal signal) is delivered, so neither service code nor the caller's continuations run on a
         * Redis I/O thread. Default: a cached pool of daemon threads. When everything is granted at once the method
         * runs on the calling (subscribing) thread.
         */
        public Builder asyncExecutor(Executor executor) {
            this.asyncExecutor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** Told when each step of a chain grants a call (tracing, logging); none by default. */
        public Builder listener(InvocationListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Options of every {@link DistributedLock} (default {@link LockOptions#defaults()}). */
        public Builder lockOptions(LockOptions options) {
            this.lockOptions = Objects.requireNonNull(options, "options");
            return this;
        }

        /** Options of every {@link ConcurrencyLimited} semaphore. */
        public Builder semaphoreOptions(SemaphoreOptions options) {
            this.semaphoreOptions = Objects.requireNonNull(options, "options");
            return this;
        }

        /** Options (strategy, failure policy) of every {@link Deduplicated} deduplicator. */
        public Builder deduplicatorOptions(DeduplicatorOptions options) {
            this.deduplicatorOptions = Objects.requireNonNull(options, "options");
            return this;
        }

        /** Failure policy of every {@link Idempotent} executor (default FAIL_CLOSED). */
        public Builder idempotencyFailurePolicy(FailurePolicy policy) {
            this.idempotencyFailurePolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Applied to every string attribute of the coordination annotations before it is parsed — names, keys and
         * payload templates, durations ({@code lease}, {@code maxWait}, {@code ttl}, {@code waitForResult},
         * {@code @Limit(window)}) — at planning time, once per attribute. E.g. Spring resolves {@code ${...}}
         * placeholders with it: {@code @DistributedLock(name = "report", lease = "${reports.lease:30s}")}. The
         * result is then validated as if it had been written in the annotation; an exception or a {@code null}
         * result fails planning with {@link IllegalArgumentException} naming the method and attribute.
         * Numeric attributes ({@code permits}) are not strings and are used as written. Default: none.
         */
        public Builder attributeResolver(UnaryOperator<String> resolver) {
            this.attributeResolver = Objects.requireNonNull(resolver, "resolver");
            return this;
        }

        /**
         * Compiles key attributes in another expression language (e.g. Spring's SpEL: {@code "#orderId"});
         * attributes it declines use the built-in {@code {name}} templates. See {@link KeyExpressionResolver}.
         * Default: built-in templates only.
         */
        public Builder keyExpressions(KeyExpressionResolver resolver) {
            this.keyExpressions = Objects.requireNonNull(resolver, "resolver");
            return this;
        }

        /**
         * The lease of every {@code @DistributedLock}, {@code @ConcurrencyLimited} and {@code @Idempotent} whose
         * {@code lease} attribute is empty (its default). Default: 30 s.
         *
         * @throws IllegalArgumentException if {@code lease} is not positive
         */
        public Builder defaultLease(Duration lease) {
            Objects.requireNonNull(lease, "lease");
            if (lease.isNegative() || lease.isZero()) {
                throw new IllegalArgumentException("lease must be > 0, was " + lease);
            }
            this.defaultLease = lease;
            return this;
        }

        /** The factory. */
        public LatchkeyProxies build() {
            return new LatchkeyProxies(this);
        }
    }
}
