package io.latchkey.testing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One deployment for the class: the tests run in any order, each leaves it healthy (awaitHealthy). */
class EmbeddedRedisSentinelTest {

    private static EmbeddedRedisSentinel sentinel;

    @BeforeAll
    static void start() {
        sentinel = EmbeddedRedisSentinel.start();
    }

    @AfterAll
    static void stop() {
        if (sentinel != null) {
            sentinel.close();
        }
    }

    @Test
    void startsAPrimaryWithTwoAttachedReplicasAndThreeSentinels() {
        assertEquals(3, sentinel.nodes().size());
        assertEquals(3, sentinel.sentinels().size());
        EmbeddedRedis primary = sentinel.primary();
        assertEquals("master", Resp.infoField(primary.command("INFO", "replication"), "role"));
        assertEquals("2", Resp.infoField(primary.command("INFO", "replication"), "connected_slaves"));
        primary.command("SET", "replicated", "yes");
        for (EmbeddedRedis replica : sentinel.replicas()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> "yes".equals(replica.command("GET", "replicated")));
            assertEquals("slave", Resp.infoField(replica.command("INFO", "replication"), "role"));
        }
        for (EmbeddedRedis s : sentinel.sentinels()) {
            assertEquals("1", Resp.infoField(s.command("INFO", "sentinel"), "sentinel_masters"));
        }
    }

    @Test
    void sentinelUriListsEverySentinelAndTheMasterName() {
        RedisURI uri = RedisURI.create(sentinel.sentinelUri());
        assertEquals(EmbeddedRedisSentinel.DEFAULT_MASTER_NAME, uri.getSentinelMasterId());
        assertEquals(3, uri.getSentinels().size());
        for (int i = 0; i < 3; i++) {
            assertEquals(sentinel.sentinels().get(i).port(), uri.getSentinels().get(i).getPort());
        }
    }

    @Test
    void failoverPromotesAReplicaThatKeepsTheData() {
        EmbeddedRedis before = sentinel.primary();
        before.command("SET", "survives", "failover");
        awaitReplicated();
        EmbeddedRedis after = sentinel.failover();
        assertNotSame(before, after);
        assertEquals(after, sentinel.primary());
        assertEquals("master", Resp.infoField(after.command("INFO", "replication"), "role"));
        assertEquals("failover", after.command("GET", "survives"));
        // the old primary is demoted and re-attached to the new one
        Object info = before.command("INFO", "replication");
        assertEquals("slave", Resp.infoField(info, "role"));
        assertEquals(Integer.toString(after.port()), Resp.infoField(info, "master_port"));
    }

    @Test
    void killedPrimaryIsReplacedAndComesBackAsAReplica() {
        EmbeddedRedis killed = sentinel.killPrimary();
        assertFalse(killed.isRunning());
        EmbeddedRedis promoted = sentinel.awaitPrimaryOtherThan(killed);
        assertNotSame(killed, promoted);
        sentinel.awaitHealthy(); // restarts the killed node; the sentinels turn it into a replica
        assertTrue(killed.isRunning());
        assertEquals(promoted, sentinel.primary(), "primary after healing");
        assertEquals("slave", Resp.infoField(killed.command("INFO", "replication"), "role"), killed + " " + promoted);
    }

    @Test
    void pausedPrimaryIsReplacedAndDemotedOnResume() {
        EmbeddedRedis paused = sentinel.pausePrimary();
        assertTrue(paused.isPaused());
        EmbeddedRedis promoted = sentinel.awaitPrimaryOtherThan(paused);
        assertNotSame(paused, promoted);
        sentinel.awaitHealthy();
        assertFalse(paused.isPaused());
        assertEquals("slave", Resp.infoField(paused.command("INFO", "replication"), "role"));
    }

    @Test
    void closeKillsEveryProcessAndAFailedStartLeavesNone() {
        List<ProcessHandle> processes = new ArrayList<>();
        try (EmbeddedRedisSentinel own = EmbeddedRedisSentinel.builder().replicas(1).sentinels(1).password("s3cret:/@").start()) {
            for (EmbeddedRedis n : own.nodes()) {
                processes.add(ProcessHandle.of(n.pid()).orElseThrow());
            }
            for (EmbeddedRedis n : own.sentinels()) {
                processes.add(ProcessHandle.of(n.pid()).orElseThrow());
            }
            assertEquals("PONG", own.primary().command("PING"));
            // Lettuce asks a sentinel for the primary and authenticates with the URI's (encoded) password
            try (Clients.Conn c = new Clients.Conn(own.sentinelUri(), Duration.ofSeconds(5))) {
                c.connection.sync().set("k", "v");
                assertEquals("v", own.primary().command("GET", "k"));
            }
        }
        assertEquals(3, processes.size());
        for (ProcessHandle p : processes) {
            assertFalse(p.isAlive(), "pid " + p.pid() + " still alive after close()");
        }
        // the sentinels fail after the data nodes started: those are killed too
        IllegalStateException failed = assertThrows(IllegalStateException.class,
                () -> EmbeddedRedisSentinel.builder().replicas(1).sentinels(1).sentinelConfig("sentinel no-such-directive 1").start());
        assertTrue(failed.getMessage().contains("exited"), failed.getMessage());
        assertEquals(List.of(), ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.contains("redis-server")).orElse(false))
                .filter(p -> !sentinelPids().contains(p.pid())).map(ProcessHandle::pid).collect(java.util.stream.Collectors.toList()),
                "no redis-server of the failed start is left");
        assertThrows(IllegalArgumentException.class, () -> EmbeddedRedisSentinel.builder().replicas(0));
        assertThrows(IllegalArgumentException.class, () -> EmbeddedRedisSentinel.builder().masterName("a b"));
        assertThrows(NullPointerException.class, () -> EmbeddedRedisSentinel.builder().masterName(null));
    }

    @Test
    void proxiedReplicationCutOffLosesAcknowledgedWritesOnFailover() {
        try (EmbeddedRedisSentinel own = EmbeddedRedisSentinel.builder().proxiedReplication(true).start()) {
            EmbeddedRedis primary = own.primary();
            primary.command("SET", "before", "cut");
            for (EmbeddedRedis r : own.replicas()) {
                await().atMost(Duration.ofSeconds(10)).until(() -> "cut".equals(r.command("GET", "before")));
            }
            own.replicationProxy().mode(FaultProxy.Mode.BLACKHOLE);
            assertEquals("OK", primary.command("SET", "acknowledged", "then-lost"));
            EmbeddedRedis killed = own.killPrimary();
            EmbeddedRedis promoted = own.awaitPrimaryOtherThan(killed);
            assertEquals("cut", promoted.command("GET", "before"));
            assertEquals(null, promoted.command("GET", "acknowledged"), "the cut-off write never reached it");
        }
    }

    private static List<Long> sentinelPids() {
        List<Long> pids = new ArrayList<>();
        sentinel.nodes().forEach(n -> pids.add(n.pid()));
        sentinel.sentinels().forEach(n -> pids.add(n.pid()));
        return pids;
    }

    private static void awaitReplicated() {
        EmbeddedRedis primary = sentinel.primary();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            Object info = primary.command("INFO", "replication");
            String offset = Resp.infoField(info, "master_repl_offset");
            for (EmbeddedRedis r : sentinel.replicas()) {
                Optional<String> replicaOffset = Optional.ofNullable(Resp.infoField(r.command("INFO", "replication"), "slave_repl_offset"));
                if (!replicaOffset.map(offset::equals).orElse(false)) {
                    return false;
                }
            }
            return true;
        });
    }
}
