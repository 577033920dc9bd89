/**
 * Latchkey's client ({@link io.latchkey.core.Latchkey}), its exception hierarchy
 * ({@link io.latchkey.core.LatchkeyException}), {@link io.latchkey.core.FailurePolicy}, and the lease model every
 * lease-granting primitive shares: {@link io.latchkey.core.Lease}, {@link io.latchkey.core.ReleaseResult},
 * {@link io.latchkey.core.LeaseRequest} and {@link io.latchkey.core.LeaseLostListener}. Every primitive module
 * is built on one {@code Latchkey}.
 */
package io.latchkey.core;
