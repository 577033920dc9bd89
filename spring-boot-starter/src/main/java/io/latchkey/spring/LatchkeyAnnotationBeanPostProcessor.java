package io.latchkey.spring;

import io.latchkey.annotations.AnnotatedMethod;
import io.latchkey.annotations.LatchkeyProxies;
import io.latchkey.core.Latchkey;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.springframework.aop.framework.AopInfrastructureBean;
import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.core.Ordered;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Applies the coordination annotations to Spring beans: a bean with an annotated method (on its class, a superclass
 * or an interface) gets the Latchkey advice, on a CGLIB subclass proxy (or added, outermost, to the proxy another
 * post-processor already made, e.g. for {@code @Transactional}). Every annotated method is planned when the bean is
 * created, so an invalid annotation — or one on a method a proxy cannot intercept (private, final, static) — fails
 * startup with the bean and method named instead of being silently ignored.
 */
final class LatchkeyAnnotationBeanPostProcessor extends AbstractBeanFactoryAwareAdvisingPostProcessor {

    private BeanFactory beanFactory;
    private volatile LatchkeyProxies proxies;
    private final LatchkeyMethodInterceptor interceptor = new LatchkeyMethodInterceptor(this::proxies);

    LatchkeyAnnotationBeanPostProcessor() {
        setProxyTargetClass(true);
        setBeforeExistingAdvisors(true);
        // after the auto-proxy creator (so our advice joins its proxy, outermost) and before the post-processors
        // that capture the bean for later calls, e.g. @Scheduled's (lowest precedence), so they call the proxy
        setOrder(Ordered.LOWEST_PRECEDENCE - 10);
        StaticMethodMatcherPointcut pointcut = new StaticMethodMatcherPointcut() {
            @Override
            public boolean matches(Method method, Class<?> targetClass) {
                return CoordinationAnnotations.isAnnotated(AopUtils.getMostSpecificMethod(method, targetClass))
                        || CoordinationAnnotations.isAnnotated(method);
            }
        };
        pointcut.setClassFilter(CoordinationAnnotations::isCandidate);
        this.advisor = new DefaultPointcutAdvisor(pointcut, interceptor);
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        super.setBeanFactory(beanFactory);
        this.beanFactory = beanFactory;
    }

    private LatchkeyProxies proxies() {
        LatchkeyProxies p = proxies;
        if (p == null) {
            // looked up on first use, not injected: a post-processor's dependencies would be created too early
            p = beanFactory.getBean(LatchkeyProxies.class);
            proxies = p;
        }
        return p;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
        if (bean instanceof AopInfrastructureBean || bean instanceof Latchkey || bean instanceof LatchkeyProxies) {
            return bean;
        }
        Class<?> userClass = ClassUtils.getUserClass(AopUtils.getTargetClass(bean));
        if (!CoordinationAnnotations.isCandidate(userClass)) {
            return bean;
        }
        Set<Method> annotated = annotatedMethods(userClass);
        if (annotated.isEmpty()) {
            return bean;
        }
        for (Method m : annotated) {
            validate(beanName, userClass, m);
        }
        return super.postProcessAfterInitialization(bean, beanName);
    }

    private void validate(String beanName, Class<?> userClass, Method m) {
        String where = "bean '" + beanName + "' (" + userClass.getName() + "), method " + m.getName();
        int mod = m.getModifiers();
        String cannot = Modifier.isStatic(mod) ? "static" : Modifier.isPrivate(mod) ? "private"
                : Modifier.isFinal(mod) ? "final" : null;
        if (cannot != null) {
            throw new BeanCreationException(beanName, "Latchkey annotation on " + where + ": the method is " + cannot
                    + ", so a Spring proxy cannot intercept it and the annotation would be ignored; make it a"
                    + " non-final instance method that callers reach through the bean");
        }
        Optional<AnnotatedMethod> plan;
        try {
            plan = interceptor.plan(userClass, m);
        } catch (IllegalArgumentException | NullPointerException | IllegalStateException e) {
            throw new BeanCreationException(beanName, "Invalid Latchkey annotation on " + where + ": "
                    + e.getMessage(), e);
        }
        if (plan.isEmpty()) {
            throw new BeanCreationException(beanName, "Latchkey annotation on " + where + " was not planned by the"
                    + " annotations module, so it would be ignored");
        }
    }

    /** The instance methods whose declarations carry coordination annotations (class, superclasses, interfaces). */
    private static Set<Method> annotatedMethods(Class<?> userClass) {
        Set<Method> out = new LinkedHashSet<>();
        ReflectionUtils.doWithMethods(userClass, m -> {
            if (!m.isBridge() && !m.isSynthetic() && m.getDeclaringClass() != Object.class
                    && CoordinationAnnotations.isAnnotated(m)) {
                out.add(m);
            }
        });
        for (Method m : userClass.getMethods()) { // interface methods the class inherits without redeclaring
            if (!m.isBridge() && !m.isSynthetic() && m.getDeclaringClass() != Object.class
                    && CoordinationAnnotations.isAnnotated(m)) {
                out.add(m);
            }
        }
        // keep the most specific declaration of each signature
        Set<Method> specific = new LinkedHashSet<>();
        Set<String> signatures = new HashSet<>();
        for (Method m : out) {
            Method s = AopUtils.getMostSpecificMethod(m, userClass);
            if (signatures.add(s.getName() + Arrays.toString(s.getParameterTypes()))) {
                specific.add(s);
            }
        }
        return specific;
    }
}
