package io.latchkey.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class (or method) against real Redis nodes started by {@link RedisExtension}, and injects them.
 *
 * <pre>{@code
 * @RedisTest(nodes = 3, proxied = true)
 * class RedlockTest {
 *     @Test
 *     void quorum(List<Latchkey> clients, List<FaultProxy> proxies, List<EmbeddedRedis> nodes) { ... }
 * }
 * }</pre>
 *
 * <p>Injectable parameters (test methods, lifecycle methods, constructors): {@link EmbeddedRedis} / {@link RedisNode}
 * (node 0), {@code List<EmbeddedRedis>} / {@code List<RedisNode>} / {@link EmbeddedRedisNodes} (all nodes),
 * {@link FaultProxy} (proxy of node 0) / {@code List<FaultProxy>} (when {@link #proxied()}), and
 * {@code io.latchkey.core.Latchkey} / {@code List<Latchkey>} (a fresh client per parameter, connected through the
 * proxy when proxied, closed after the test).
 *
 * <p>Lifecycle: the nodes (and proxies) live as long as the test class; before every test each node is restarted
 * if a previous test killed it, resumed if paused, each proxy is put back to {@link FaultProxy.Mode#PASS}, and every
 * node is {@code FLUSHALL}ed. Configuration a test changes with {@code CONFIG SET} is not reset. Do not close
 * injected nodes or proxies yourself.
 *
 * <p>Topology: {@link #topology()} {@link Topology#SENTINEL} starts an {@link EmbeddedRedisSentinel} (a primary, two
 * replicas, three sentinels; inject it, and {@code Latchkey} connects through its {@code redis-sentinel://} URI);
 * {@link Topology#CLUSTER} starts a 3-master {@link EmbeddedRedisCluster} (inject it, and {@code Latchkey} connects
 * with {@code cluster(true)}). Before every test the sentinel deployment is healed
 * ({@link EmbeddedRedisSentinel#awaitHealthy()}) and its primary flushed; every cluster master is flushed. Both are
 * embedded-only.
 *
 * <p>Backend: {@code -Dlatchkey.redis.backend=testcontainers} runs {@code redis:7} containers ({@link ContainerRedis})
 * instead of processes; tests are then skipped when Docker is not available, and parameters of type
 * {@link EmbeddedRedis} cannot be resolved (use {@link RedisNode}).
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(RedisExtension.class)
public @interface RedisTest {

    /** How many independent nodes to start (not a cluster). */
    int nodes() default 1;

    /** Whether to put a {@link FaultProxy} in front of every node (and connect injected clients through it). */
    boolean proxied() default false;

    /** Whether the nodes run with AOF ({@code appendfsync always}), so data survives {@code restart()}. */
    boolean appendOnly() default false;

    /** What to start: independent nodes (default), a Sentinel deployment or a Redis Cluster. */
    Topology topology() default Topology.NODES;

    /** The deployments {@link RedisTest} can start. */
    enum Topology {
        /** {@link #nodes()} independent servers (optionally proxied). */
        NODES,
        /** One {@link EmbeddedRedisSentinel}: a primary, two replicas and three sentinels. */
        SENTINEL,
        /** One 3-master {@link EmbeddedRedisCluster}. */
        CLUSTER
    }
}
