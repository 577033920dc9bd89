package io.latchkey.spring;

import io.latchkey.annotations.AnnotatedMethod;
import io.latchkey.annotations.CoordinationRejectedException;
import io.latchkey.annotations.LatchkeyProxies;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.util.ClassUtils;

/**
 * Runs an annotated method of a Spring bean through the annotations module's chain
 * ({@link LatchkeyProxies#plan(Class, Method)} / {@link AnnotatedMethod#invoke}), planned once per target class and
 * method — at startup by {@link LatchkeyAnnotationBeanPostProcessor}, which validates every annotated method.
 *
 * <p>A {@code void} {@link Scheduled} method whose call is rejected (its lock is held by another instance, its rate
 * limit is spent, ...) skips that run: the rejection is logged at DEBUG instead of reaching the scheduler, which
 * would log it at ERROR on every tick of every instance but the one holding the lock.
 */
final class LatchkeyMethodInterceptor implements MethodInterceptor {

    private static final Log log = LogFactory.getLog(LatchkeyMethodInterceptor.class);

    private record PlanKey(Class<?> targetClass, Method method) {
    }

    private final Supplier<LatchkeyProxies> proxies;
    private final Map<PlanKey, Optional<AnnotatedMethod>> plans = new ConcurrentHashMap<>();

    LatchkeyMethodInterceptor(Supplier<LatchkeyProxies> proxies) {
        this.proxies = proxies;
    }

    /** Plans (and caches) {@code method} as calls on a {@code targetClass} instance see it; throws if invalid. */
    Optional<AnnotatedMethod> plan(Class<?> targetClass, Method method) {
        PlanKey key = new PlanKey(targetClass, method);
        Optional<AnnotatedMethod> plan = plans.get(key);
        if (plan == null) {
            // planning is synchronized inside LatchkeyProxies; a rare double plan is equivalent and harmless
            plan = proxies.get().plan(targetClass, method);
            plans.putIfAbsent(key, plan);
        }
        return plan;
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        Object target = invocation.getThis();
        // the same key the post-processor planned under at startup
        Class<?> targetClass = target != null ? ClassUtils.getUserClass(AopUtils.getTargetClass(target))
                : invocation.getMethod().getDeclaringClass();
        Optional<AnnotatedMethod> plan = plan(targetClass, invocation.getMethod());
        if (plan.isEmpty()) {
            return invocation.proceed();
        }
        try {
            if (!(invocation instanceof ProxyMethodInvocation pmi)) {
                return plan.get().invoke(invocation.getArguments(), args -> invocation.proceed());
            }
            // a clone per call of proceed: a reactive method proceeds once per subscription, possibly later
            return plan.get().invoke(invocation.getArguments(), args -> pmi.invocableClone(args).proceed());
        } catch (CoordinationRejectedException e) {
            if (isScheduledVoid(invocation.getMethod(), targetClass)) {
                if (log.isDebugEnabled()) {
                    log.debug("skipped this run of " + e.method() + ": " + e.getMessage());
                }
                return null;
            }
            throw e;
        }
    }

    private static boolean isScheduledVoid(Method method, Class<?> targetClass) {
        Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
        return specific.getReturnType() == void.class
                && MergedAnnotations.from(specific, MergedAnnotations.SearchStrategy.TYPE_HIERARCHY)
                        .isPresent(Scheduled.class);
    }
}
