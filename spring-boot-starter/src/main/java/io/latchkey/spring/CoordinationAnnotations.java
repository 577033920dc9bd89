package io.latchkey.spring;

import io.latchkey.annotations.ConcurrencyLimited;
import io.latchkey.annotations.Deduplicated;
import io.latchkey.annotations.DistributedLock;
import io.latchkey.annotations.Idempotent;
import io.latchkey.annotations.RateLimited;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.List;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.core.annotation.MergedAnnotations;

/** Which methods carry Latchkey's coordination annotations: on the method itself, a superclass or an interface. */
final class CoordinationAnnotations {

    static final List<Class<? extends Annotation>> TYPES = List.of(DistributedLock.class, RateLimited.class,
            Deduplicated.class, Idempotent.class, ConcurrencyLimited.class);

    private CoordinationAnnotations() {
    }

    /** Cheap pre-check: whether {@code type} can carry any of them at all (Spring's annotation index). */
    static boolean isCandidate(Class<?> type) {
        return AnnotationUtils.isCandidateClass(type, TYPES);
    }

    /** Whether {@code method} or a declaration it overrides/implements carries one. */
    static boolean isAnnotated(Method method) {
        MergedAnnotations found = MergedAnnotations.from(method, MergedAnnotations.SearchStrategy.TYPE_HIERARCHY);
        for (Class<? extends Annotation> t : TYPES) {
            if (found.isDirectlyPresent(t) || found.isPresent(t)) {
                return true;
            }
        }
        return false;
    }
}
