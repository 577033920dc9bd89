package io.latchkey.lock.redlock;

import io.latchkey.core.Latchkey;
import io.latchkey.core.spi.Keys;
import io.latchkey.lock.LockOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Entry point of Redlock: a lease lock held on a majority of N independent Redis nodes (not replicas of each other,
 * not one cluster), so the lock survives the loss of a minority of nodes.
 *
 * <pre>{@code
 * Redlock redlock = Redlock.of(List.of(a, b, c, d, e));               // one Latchkey client per node
 * DistributedLock lock = redlock.lock("job:nightly");
 * try (LockLease lease = lock.tryAcquire(Duration.ofSeconds(30), Duration.ofSeconds(5)).orElseThrow()) {
 *     store.write(result, lease.fencingToken());
 * }
 * }</pre>
 *
 * <p>Assumptions (see {@code docs/redlock.md}): clock rates of client and nodes differ by less than the drift factor,
 * a node that restarts without persistence stays down longer than the longest lease, and the per-node timeout is
 * small against the lease. Thread-safe; lock objects are cheap.
 */
public final class Redlock {

    private final List<Latchkey> nodes;
    private final RedlockOptions options;
    private final List<String> nodeNames;

    private Redlock(List<Latchkey> nodes, RedlockOptions options, List<String> nodeNames) {
        this.nodes = nodes;
        this.options = options;
        this.nodeNames = nodeNames;
    }

    /** Redlock over these independent nodes, with default options. */
    public static Redlock of(List<Latchkey> independentNodes) {
        return of(independentNodes, RedlockOptions.defaults());
    }

    /**
     * Redlock over these independent nodes.
     *
     * @param independentNodes one client per node; not empty, no nulls, no client twice (an odd count tolerates the
     *                         most failures per node: 3 nodes tolerate 1, 5 tolerate 2)
     * @throws IllegalArgumentException if the list is empty, repeats a client or {@code nodeNames} has the wrong size
     * @throws NullPointerException     if anything is null
     */
    public static Redlock of(List<Latchkey> independentNodes, RedlockOptions options) {
        Objects.requireNonNull(independentNodes, "independentNodes");
        Objects.requireNonNull(options, "options");
        if (independentNodes.isEmpty()) {
            throw new IllegalArgumentException("independentNodes must not be empty");
        }
        Set<Latchkey> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Latchkey n : independentNodes) {
            Objects.requireNonNull(n, "independentNodes element");
            if (!seen.add(n)) {
                throw new IllegalArgumentException("independentNodes lists the same client twice: " + n);
            }
        }
        List<String> names = options.nodeNames().orElse(null);
        if (names == null) {
            names = new ArrayList<>();
            for (int i = 0; i < independentNodes.size(); i++) {
                names.add(Integer.toString(i));
            }
        } else if (names.size() != independentNodes.size()) {
            throw new IllegalArgumentException("nodeNames must name every node: " + names.size() + " names for "
                    + independentNodes.size() + " nodes");
        }
        return new Redlock(List.copyOf(independentNodes), options, List.copyOf(names));
    }

    /**
     * The Redlock lock of that name with default {@link LockOptions}.
     *
     * @param name at most 256 characters, no braces; the metrics group is the part before the first ':'
     */
    public RedlockLock lock(String name) {
        return lock(name, LockOptions.defaults());
    }

    /** The Redlock lock of that name; drift factor/minimum, metrics group and counter TTL come from {@code options}. */
    public RedlockLock lock(String name, LockOptions options) {
        Keys.validateName(name, "name");
        Objects.requireNonNull(options, "options");
        return new QuorumLock(nodes, name, this.options, options, nodeNames);
    }

    /** The number of nodes. */
    public int nodeCount() {
        return nodes.size();
    }

    /** The majority every acquisition needs: {@code N/2 + 1}. */
    public int quorum() {
        return RedlockQuorum.quorum(nodes.size());
    }

    @Override
    public String toString() {
        return "Redlock[" + nodes.size() + " nodes, " + options + "]";
    }
}
