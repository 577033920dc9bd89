package io.latchkey.core;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class LatchkeyExceptionTest {

    @Test
    void timeoutsMeanUnknownOutcome() {
        assertInstanceOf(LatchkeyTimeoutException.class, LatchkeyException.translate(new RedisCommandTimeoutException("t")));
        assertInstanceOf(LatchkeyTimeoutException.class,
                LatchkeyException.translate(new CompletionException(new java.util.concurrent.TimeoutException())));
    }

    @Test
    void serverErrorsAreScriptErrors() {
        assertInstanceOf(LatchkeyScriptException.class,
                LatchkeyException.translate(new ExecutionException(new RedisCommandExecutionException("ERR boom"))));
    }

    @Test
    void connectionProblemsMeanUnavailable() {
        assertInstanceOf(LatchkeyUnavailableException.class, LatchkeyException.translate(new RedisConnectionException("refused")));
        assertInstanceOf(LatchkeyUnavailableException.class,
                LatchkeyException.translate(new RedisException("Currently not connected. Commands are rejected.")));
    }

    @Test
    void aConnectionLostUnderAWrittenCommandMeansUnknownOutcome() {
        assertInstanceOf(LatchkeyTimeoutException.class,
                LatchkeyException.translate(new CompletionException(new RedisException("Connection closed"))));
        assertInstanceOf(LatchkeyTimeoutException.class,
                LatchkeyException.translate(new RedisException("Connection disconnected")));
    }

    @Test
    void latchkeyExceptionsPassThrough() {
        LatchkeyException e = new LatchkeyException("x");
        assertSame(e, LatchkeyException.translate(new CompletionException(e)));
    }
}
