package io.latchkey.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Adds to every iteration: operations per second (all invocations, not just the sampled ones), Redis server CPU per
 * operation ({@code INFO cpu} deltas, summed over every server) and client CPU per operation (this JVM's process CPU
 * time; with forks it is the benchmark JVM alone).
 */
public final class CpuProfiler implements InternalProfiler {

    static final String OPS = "ops/s";
    static final String SERVER_CPU = "server.cpu";
    static final String CLIENT_CPU = "client.cpu";
    static final String COMMANDS = "redis.commands";
    static final String ALLOCATED = "client.alloc";

    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private List<String> servers;
    private long startCommands;
    private long startAllocated;
    private long startClientCpu;
    private double startServerCpu;

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        if (servers == null) {
            servers = BenchEnv.allServers();
        }
        startCommands = ServerProbe.commandCalls(servers);
        startServerCpu = ServerProbe.cpuSeconds(servers);
        startAllocated = allocated();
        startClientCpu = os.getProcessCpuTime();
    }

    @Override
    @SuppressWarnings("rawtypes") // the InternalProfiler signature uses the raw Result type
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                       IterationResult result) {
        // With synchronized iterations JMH counts operations only in the measured window, which lasts the
        // configured iteration time; the wall time around it includes thread start-up and warm-down.
        long elapsed = iterationParams.getTime().convertTo(TimeUnit.NANOSECONDS);
        long clientCpu = os.getProcessCpuTime() - startClientCpu;
        long allocated = allocated() - startAllocated;
        double serverCpu = ServerProbe.cpuSeconds(servers) - startServerCpu;
        // the probes' own INFO commands are not counted (commandCalls skips them)
        long commands = ServerProbe.commandCalls(servers) - startCommands;
        // all invocations of the iteration, warm-down included, for the per-op counters
        long ops = Math.max(1, result.getMetadata().getMeasuredOps());
        long allOps = Math.max(ops, result.getMetadata().getAllOps());
        return List.of(
                new ScalarResult(OPS, ops * 1e9 / elapsed, "ops/s", AggregationPolicy.AVG),
                new ScalarResult(SERVER_CPU, serverCpu * 1e6 / ops, "us/op", AggregationPolicy.AVG),
                new ScalarResult(CLIENT_CPU, clientCpu / 1e3 / ops, "us/op", AggregationPolicy.AVG),
                new ScalarResult(COMMANDS, (double) commands / allOps, "cmds/op", AggregationPolicy.AVG),
                new ScalarResult(ALLOCATED, allocated < 0 ? Double.NaN : (double) allocated / allOps, "B/op",
                        AggregationPolicy.AVG));
    }

    /** Bytes allocated so far by all live threads of this JVM, or -1 when the JVM cannot tell. */
    private long allocated() {
        return threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled()
                ? threads.getTotalThreadAllocatedBytes() : -1;
    }

    @Override
    public String getDescription() {
        return "Redis server and client CPU per operation, and throughput";
    }
}
