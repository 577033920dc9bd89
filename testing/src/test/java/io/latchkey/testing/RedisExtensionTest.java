package io.latchkey.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.core.Latchkey;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

class RedisExtensionTest {

    @Nested
    @RedisTest
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class SingleNode {
        static int port;
        static Latchkey firstClient;

        @Test
        @Order(1)
        void injectsARunningNodeAndAClientPointedAtIt(EmbeddedRedis redis, RedisNode same, Latchkey latchkey) {
            assertSame(redis, same);
            assertTrue(redis.isRunning());
            assertEquals(redis.uri(), latchkey.uri());
            redis.command("SET", "left", "over");
            port = redis.port();
            firstClient = latchkey;
            redis.kill(); // the next test must still get a working node
        }

        @Test
        @Order(2)
        void sameNodeForTheClassFlushedAndHealedFreshClientEachTest(EmbeddedRedis redis, Latchkey latchkey) {
            assertEquals(port, redis.port());
            assertTrue(redis.isRunning());
            assertNull(redis.command("GET", "left"), "FLUSHALL before each test");
            assertNotSame(firstClient, latchkey);
            assertTrue(firstClient.isClosed(), "the previous test's client was closed");
            assertFalse(latchkey.isClosed());
            redis.pause();
        }

        @Test
        @Order(3)
        void pausedNodeIsResumed(EmbeddedRedis redis) {
            assertFalse(redis.isPaused());
            assertEquals("PONG", redis.command("PING"));
        }
    }

    @Nested
    @RedisTest(nodes = 3, proxied = true)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class ProxiedNodes {

        @Test
        @Order(1)
        void injectsNodesProxiesAndClientsThroughTheProxies(List<EmbeddedRedis> nodes, EmbeddedRedisNodes group,
                List<RedisNode> asNodes, List<FaultProxy> proxies, FaultProxy first, List<Latchkey> clients,
                Latchkey client) {
            assertEquals(3, nodes.size());
            assertEquals(nodes, group.list());
            assertEquals(nodes, asNodes);
            assertEquals(3, proxies.size());
            assertSame(proxies.get(0), first);
            assertEquals(3, clients.size());
            for (int i = 0; i < 3; i++) {
                assertEquals(proxies.get(i).uri(), clients.get(i).uri());
                assertEquals("PONG", nodes.get(i).command("PING"));
            }
            assertEquals(first.uri(), client.uri());
            first.mode(FaultProxy.Mode.BLACKHOLE);
        }

        @Test
        @Order(2)
        void proxiesAreBackToPass(List<FaultProxy> proxies) {
            proxies.forEach(p -> assertEquals(FaultProxy.Mode.PASS, p.mode()));
        }
    }

    @Nested
    @RedisTest
    class ConstructorInjection {
        private final EmbeddedRedis redis;

        ConstructorInjection(EmbeddedRedis redis) {
            this.redis = redis;
        }

        @Test
        void fieldFromConstructor(EmbeddedRedis again) {
            assertSame(redis, again);
            assertEquals("PONG", redis.command("PING"));
        }
    }

    @Nested
    class MethodLevel {
        @Test
        @RedisTest(appendOnly = true)
        void annotationOnAMethod(EmbeddedRedis redis) {
            assertTrue(redis.appendOnly());
            redis.command("SET", "k", "v");
            redis.restart();
            assertEquals("v", redis.command("GET", "k"));
        }
    }

    @Nested
    @RedisTest(topology = RedisTest.Topology.SENTINEL)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class Sentinel {
        static EmbeddedRedis killed;

        @Test
        @Order(1)
        void injectsTheDeploymentAndAClientOnItsSentinelUri(EmbeddedRedisSentinel sentinel, Latchkey latchkey) {
            assertEquals(sentinel.sentinelUri(), latchkey.uri());
            assertTrue(latchkey.uri().startsWith("redis-sentinel://"));
            sentinel.primary().command("SET", "left", "over");
            killed = sentinel.killPrimary(); // the next test must get a healed deployment
        }

        @Test
        @Order(2)
        void healedAndFlushedBeforeTheNextTest(EmbeddedRedisSentinel sentinel) {
            assertTrue(killed.isRunning(), "the killed primary was restarted");
            assertNotSame(killed, sentinel.primary(), "a replica was promoted in its place");
            assertNull(sentinel.primary().command("GET", "left"), "FLUSHALL before each test");
            assertEquals("slave", Resp.infoField(killed.command("INFO", "replication"), "role"));
        }
    }

    @Nested
    @RedisTest(topology = RedisTest.Topology.CLUSTER)
    class Cluster {
        @Test
        void injectsTheClusterAndAClusterClient(EmbeddedRedisCluster cluster, Latchkey latchkey) {
            assertEquals(3, cluster.nodes().size());
            assertTrue(latchkey.isCluster());
            assertEquals(cluster.uris().get(0), latchkey.uri());
        }
    }
}
