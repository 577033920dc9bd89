package io.latchkey.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ratio table's arithmetic: medians, spreads, floors and verdicts (pure logic, no Redis). */
class TargetTest {

    private static Measurement m(String id, double ops, double serverCpu, double clientCpu) {
        Case c = Case.of(id, "test", id, TargetTest.class, "none", 16);
        return new Measurement(c, ops, 100, 1000, serverCpu, clientCpu, 2, 1000, null);
    }

    @Test
    void medianSpreadAndMedianOfMeasurements() {
        assertEquals(2.0, Measurement.median(new double[] {3, 1, 2}));
        assertEquals(2.5, Measurement.median(new double[] {4, 1, 3, 2}));
        assertEquals(5.0, Measurement.median(new double[] {Double.NaN, 5}), "a missing round is left out");
        assertArrayEquals(new double[] {0.8, 0.5, 1.2}, Target.spread(List.of(1.2, 0.5, 0.8)));
        Measurement med = Measurement.median(List.of(m("a", 10, 1, 1), m("a", 30, 3, 3), m("a", 20, 2, 2)));
        assertEquals(20, med.opsPerSecond());
        assertEquals(2, med.serverCpuMicros());
        Measurement failed = Measurement.median(List.of(m("a", 10, 1, 1), Measurement.failed(m("a", 0, 0, 0)
                .benchCase(), "boom")));
        assertEquals("boom", failed.error(), "a failed round fails the case");
    }

    @Test
    void serverCostFloorAndCpuRatio() {
        Target t = Target.atLeast("x", 1, "l", "raw", 0.85).withFloor(Target.Floor.SERVER_COST);
        Map<String, Measurement> round = Map.of("l", m("l", 600, 30, 50), "raw", m("raw", 1000, 10, 40));
        assertEquals(0.6, t.measured(round), 1e-9);
        // (10 + 40) / (30 + 40): Latchkey's Redis cost with the raw client's cost
        assertEquals(50.0 / 70.0, t.ceiling(round), 1e-9);
        // (10 + 40) / (30 + 50)
        assertEquals(50.0 / 80.0, t.cpuRatio(round), 1e-9);
    }

    @Test
    void handOverFloorIsOneRoundTripOfTheRawOneThreadPair() {
        Target t = Target.atLeast("x", 1, "l", "r", 3).withFloor(Target.Floor.HANDOVER);
        Map<String, Measurement> round = Map.of("l", m("l", 1500, 1, 1), "r", m("r", 1000, 1, 1),
                "lock.raw.1", m("lock.raw.1", 1800, 1, 1));
        // the pair is two round trips, a hand-over one: 2 x 1800 / 1000
        assertEquals(3.6, t.ceiling(round), 1e-9);
        assertTrue(Double.isNaN(t.ceiling(Map.of("l", m("l", 1, 1, 1), "r", m("r", 1, 1, 1)))));
    }

    @Test
    void serverCostWithTheRawClientFloorUsesTheRawPairOfTheSameThreads() {
        Target t = Target.atLeast("x", 1, "l", "r", 2).withFloor(Target.Floor.SERVER_COST_RAW_CLIENT);
        Map<String, Measurement> round = Map.of("l", m("l", 3000, 25, 35), "r", m("r", 2000, 20, 80),
                "lock.raw.16", m("lock.raw.16", 4000, 8, 30));
        // (20 + 80) / (25 + 30): the alternative's whole cost over Latchkey's Redis cost plus the raw client's
        assertEquals(100.0 / 55.0, t.ceiling(round), 1e-9);
        assertTrue(Double.isNaN(t.ceiling(Map.of("l", m("l", 1, 1, 1), "r", m("r", 1, 1, 1)))));
    }

    @Test
    void verdicts() {
        Target t = Target.atLeast("x", 1, "l", "raw", 0.85).withFloor(Target.Floor.SERVER_COST);
        assertEquals("met", t.verdict(0.9, Double.NaN));
        assertEquals("floor", t.verdict(0.62, 0.70), "missed, the floor is below the target, within 15 % of it");
        assertEquals("MISSED", t.verdict(0.50, 0.70), "too far below the floor");
        assertEquals("MISSED", t.verdict(0.80, 0.95), "the floor would allow the target");
        assertEquals("MISSED", t.verdict(0.80, Double.NaN));
        Target p99 = new Target("p", 1, "l", null, Target.Metric.P99_MS, 2, false, Target.Floor.NONE);
        assertEquals("met", p99.verdict(1.5, Double.NaN));
        assertEquals("MISSED", p99.verdict(2.5, Double.NaN));
        assertEquals("(info)", Target.info("i", "l", "o").verdict(1, Double.NaN));
        assertEquals("n/a", t.verdict(Double.NaN, Double.NaN));
    }
}
