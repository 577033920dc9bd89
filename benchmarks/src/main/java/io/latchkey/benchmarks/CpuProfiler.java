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

    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private List<String> servers;
    private long startClientCpu;
    private double startServerCpu;

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        if (servers == null) {
            servers = BenchEnv.allServers();
        }
        startServerCpu = ServerProbe.cpuSeconds(servers);
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
        double serverCpu = ServerProbe.cpuSeconds(servers) - startServerCpu;
        long ops = Math.max(1, result.getMetadata().getMeasuredOps());
        return List.of(
                new ScalarResult(OPS, ops * 1e9 / elapsed, "ops/s", AggregationPolicy.AVG),
                new ScalarResult(SERVER_CPU, serverCpu * 1e6 / ops, "us/op", AggregationPolicy.AVG),
                new ScalarResult(CLIENT_CPU, clientCpu / 1e3 / ops, "us/op", AggregationPolicy.AVG));
    }

    @Override
    public String getDescription() {
        return "Redis server and client CPU per operation, and throughput";
    }
}
