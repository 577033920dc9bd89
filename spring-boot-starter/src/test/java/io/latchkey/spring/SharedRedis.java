package io.latchkey.spring;

import io.latchkey.testing.EmbeddedRedis;

/** One embedded Redis for the test classes that do not stop or pause it; the testing module's reaper ends it. */
final class SharedRedis {

    private static EmbeddedRedis redis;

    private SharedRedis() {
    }

    static synchronized EmbeddedRedis get() {
        if (redis == null) {
            redis = EmbeddedRedis.start();
        }
        return redis;
    }

    static int port() {
        return get().port();
    }
}
