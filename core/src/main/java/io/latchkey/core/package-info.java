/**
 * Latchkey's client ({@link io.latchkey.core.Latchkey}), its exception hierarchy
 * ({@link io.latchkey.core.LatchkeyException}) and {@link io.latchkey.core.FailurePolicy}. Every primitive module
 * is built on one {@code Latchkey}.
 */
package io.latchkey.core;
