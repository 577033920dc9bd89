package io.latchkey.core.spi;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.LatchkeyCancelledException;
import io.latchkey.core.LatchkeyClosedException;
import io.latchkey.core.LatchkeyException;
import io.latchkey.core.LatchkeyInterruptedException;
import io.latchkey.core.LatchkeyPermissionException;
import io.latchkey.core.LatchkeyScriptException;
import io.latchkey.core.LatchkeyTimeoutException;
import io.latchkey.core.LatchkeyUnavailableException;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisLoadingException;
import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class FailuresTest {

    @Test
    void timeoutsMeanUnknownOutcome() {
        assertInstanceOf(LatchkeyTimeoutException.class, Failures.translate(new RedisCommandTimeoutException("t")));
        assertInstanceOf(LatchkeyTimeoutException.class,
                Failures.translate(new CompletionException(new java.util.concurrent.TimeoutException())));
    }

    @Test
    void redisErrorsArePermanentScriptErrorsNamingTheScript() {
        LatchkeyException e = Failures.translate(new ExecutionException(new RedisCommandExecutionException("ERR boom")),
                LuaScript.of("lock-acquire", "return 1"));
        assertInstanceOf(LatchkeyScriptException.class, e);
        assertTrue(e.getMessage().contains("lock-acquire") && e.getMessage().contains("ERR boom"), e.getMessage());
        assertFalse(Failures.isTransient(e));
        LatchkeyException noperm = Failures.translate(new RedisCommandExecutionException(
                "NOPERM this user has no permissions to run the 'evalsha' command"));
        assertInstanceOf(LatchkeyPermissionException.class, noperm);
        assertFalse(Failures.isTransient(noperm));
        assertInstanceOf(LatchkeyScriptException.class,
                Failures.translate(new RedisCommandExecutionException("WRONGTYPE Operation against a key")));
    }

    @Test
    void redisRefusingBeforeRunningIsNotExecuted() {
        assertInstanceOf(LatchkeyUnavailableException.class,
                Failures.translate(new RedisLoadingException("LOADING Redis is loading the dataset in memory")));
        assertInstanceOf(LatchkeyUnavailableException.class,
                Failures.translate(new RedisBusyException("BUSY Redis is busy running a script")));
        assertInstanceOf(LatchkeyUnavailableException.class,
                Failures.translate(new RedisCommandExecutionException("CLUSTERDOWN The cluster is down")));
    }

    /**
     * On its own, a connection failure never proves "not executed": only RedisExecutor knows a command failed
     * inside its dispatch call. Whatever the exception type or message, it is an unknown outcome here.
     */
    @Test
    void aConnectionFailureOnItsOwnIsAnUnknownOutcome() {
        assertInstanceOf(LatchkeyTimeoutException.class,
                Failures.translate(new CompletionException(new IOException("Connection reset by peer"))));
        assertInstanceOf(LatchkeyTimeoutException.class,
                Failures.translate(new CompletionException(new RedisException("Connection closed"))));
        assertInstanceOf(LatchkeyTimeoutException.class, Failures.translate(new RedisException("Connection disconnected")));
        assertInstanceOf(LatchkeyTimeoutException.class,
                Failures.translate(new RedisException("Currently not connected. Commands are rejected.")));
        assertInstanceOf(LatchkeyTimeoutException.class, Failures.translate(new RedisConnectionException("refused")));
    }

    @Test
    void interruptionAndCancellationAreTypedAndNotTransient() {
        LatchkeyException i = Failures.translate(new RedisCommandInterruptedException(new InterruptedException()));
        assertInstanceOf(LatchkeyInterruptedException.class, i);
        assertInstanceOf(LatchkeyInterruptedException.class, Failures.translate(new InterruptedException()));
        LatchkeyException c = Failures.translate(new CompletionException(new CancellationException()));
        assertInstanceOf(LatchkeyCancelledException.class, c);
        assertFalse(Failures.isTransient(i));
        assertFalse(Failures.isTransient(c));
        assertFalse(Failures.isTransient(new LatchkeyClosedException("closed", null)));
    }

    @Test
    void latchkeyExceptionsPassThrough() {
        LatchkeyException e = new LatchkeyUnavailableException("x", null);
        assertSame(e, Failures.translate(new CompletionException(e)));
        assertTrue(Failures.isTransient(e));
    }
}
