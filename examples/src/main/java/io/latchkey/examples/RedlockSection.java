package io.latchkey.examples;

import io.latchkey.lock.LockLease;
import io.latchkey.lock.redlock.Redlock;
import io.latchkey.lock.redlock.RedlockLease;
import io.latchkey.lock.redlock.RedlockLock;
import io.latchkey.lock.redlock.RedlockNodeOutcome;
import io.latchkey.lock.redlock.RedlockRound;
import io.latchkey.testing.EmbeddedRedis;
import java.time.Duration;
import java.util.Optional;

/** The reindex job is guarded by a Redlock over independent nodes and survives the loss of one of them. */
final class RedlockSection implements Section {

    @Override
    public String title() {
        return "A Redlock surviving the loss of one node";
    }

    @Override
    public void run(Fleet fleet, Narrator say) throws Exception {
        int n = fleet.nodes().size();
        if (n < 3) {
            say.say("Skipped: a Redlock needs at least 3 independent nodes and %d %s given "
                    + "(pass --redis uri1,uri2,uri3).", n, n == 1 ? "was" : "were");
            return;
        }
        Redlock redlock = Redlock.of(fleet.nodes());
        RedlockLock job = redlock.lock("job:reindex");
        say.say("The search service guards its reindex job with a Redlock over %d independent nodes (quorum %d).",
                job.nodeCount(), job.quorum());

        RedlockLease first = (RedlockLease) job.tryAcquire(Duration.ofSeconds(10)).orElseThrow(
                () -> new IllegalStateException("Redlock not acquired with every node up"));
        describe(say, "acquire", first.acquisition());
        say.say("held: fencing token %d, valid for %d ms", first.fencingToken(),
                first.validityAtAcquisition().toMillis());
        say.say("release: %s", first.release());

        Optional<EmbeddedRedis> victim = fleet.ownedNode(n - 1);
        if (victim.isEmpty()) {
            say.say("(These nodes are not ours to stop, so the node-loss part is skipped.)");
            return;
        }
        say.blank();
        victim.get().kill();
        say.say("Node %d crashes (SIGKILL).", n - 1);

        RedlockLease second = (RedlockLease) job.tryAcquire(Duration.ofSeconds(10)).orElseThrow(
                () -> new IllegalStateException("Redlock not acquired with a majority up"));
        describe(say, "acquire", second.acquisition());
        say.say("still a majority: held with fencing token %d (larger than %d)", second.fencingToken(),
                first.fencingToken());
        if (second.fencingToken() <= first.fencingToken()) {
            throw new IllegalStateException("Redlock fencing token went backwards");
        }

        Optional<LockLease> rival = job.tryAcquire(Duration.ofSeconds(10));
        if (rival.isPresent()) {
            throw new IllegalStateException("a second holder got the Redlock");
        }
        say.say("a second instance of the service tries too: refused (%s)",
                job.lastFailedAttempt().map(RedlockSection::summary).orElse("no quorum"));
        say.say("release: %s", second.release());
        second.releaseRound().ifPresent(r -> describe(say, "release", r));
        say.say("The crashed node stays down here; a node that restarts without persistence must stay down");
        say.say("longer than the longest lease before it rejoins (see docs/locks.md).");
    }

    private static void describe(Narrator say, String what, RedlockRound round) {
        for (RedlockNodeOutcome node : round.nodes()) {
            say.say("  %-7s node %d: %-12s %6.1f ms", what, node.node(), node.status(),
                    node.latency().toNanos() / 1e6);
        }
        say.say("  %s: quorum %s (%d of %d needed)", what, round.quorumReached() ? "reached" : "NOT reached",
                round.quorum(), round.nodes().size());
    }

    private static String summary(RedlockRound round) {
        StringBuilder sb = new StringBuilder();
        for (RedlockNodeOutcome node : round.nodes()) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append("node ").append(node.node()).append(' ').append(node.status());
        }
        return sb.toString();
    }
}
