package io.latchkey.testing;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** One JVM shutdown hook that closes every node still alive, so no redis-server outlives the JVM. */
final class Reaper {

    private static final Set<AutoCloseable> LIVE = ConcurrentHashMap.newKeySet();
    private static boolean hooked;

    private Reaper() {
    }

    static synchronized void register(AutoCloseable node) {
        if (!hooked) {
            Runtime.getRuntime().addShutdownHook(new Thread(Reaper::closeAll, "latchkey-redis-reaper"));
            hooked = true;
        }
        LIVE.add(node);
    }

    static void unregister(AutoCloseable node) {
        LIVE.remove(node);
    }

    private static void closeAll() {
        for (AutoCloseable n : LIVE.toArray(new AutoCloseable[0])) {
            try {
                n.close();
            } catch (Exception ignored) {
                // best effort at shutdown
            }
        }
    }
}
