package io.latchkey.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@code long} parameter of a {@link DistributedLock} method that receives the lease's fencing token: the
 * proxy replaces whatever the caller passed (pass {@code 0}) with {@link io.latchkey.lock.LockLease#fencingToken()}
 * before the method runs, so the method can hand it to the protected resource, which rejects writes carrying an
 * older token (see {@link io.latchkey.lock.FencedResource}).
 *
 * <pre>{@code
 * @DistributedLock(name = "ledger:{accountId}", lease = "10s")
 * void post(@Key("accountId") String accountId, Entry entry, @FencingToken long token);
 * // caller: ledger.post("acc-1", entry, 0);
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface FencingToken {
}
