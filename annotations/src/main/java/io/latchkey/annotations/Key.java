package io.latchkey.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names a parameter for key templates: {@code void pay(@Key("orderId") String id)} lets a template say
 * {@code "order:{orderId}"}. Works whether or not the interface was compiled with {@code -parameters}; without
 * {@code @Key} a template can still use the compiled parameter name (only with {@code -parameters}) or the
 * parameter's index ({@code "{0}"}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Key {

    /** The name templates use for this parameter: a Java identifier, unique within the method. */
    String value();
}
