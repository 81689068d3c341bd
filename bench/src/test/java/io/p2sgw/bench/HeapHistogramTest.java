package io.p2sgw.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class HeapHistogramTest {
    private static final List<String> BEFORE = List.of(
            " num     #instances         #bytes  class name (module)",
            "-------------------------------------------------------",
            "   1:         1000        500000  [B (java.base@25)",
            "   2:          100          2400  java.lang.String (java.base@25)",
            "   3:           10           400  io.p2sgw.Gone",
            "Total          1110        502800");
    private static final List<String> AFTER = List.of(
            "   1:         1400       4596000  [B (java.base@25)",
            "   2:          300          7200  java.lang.String (java.base@25)",
            "   3:          100          6400  io.p2sgw.openvpn.engine.OpenVpnSession",
            "Total          1800       4609600");

    @Test
    void growthPerSessionIsSortedLargestFirstAndSkipsShrinkingClasses() {
        HeapHistogram before = HeapHistogram.parse(BEFORE);
        assertEquals(3, before.classes(), "header and total lines are not classes");
        List<HeapHistogram.Growth> g = HeapHistogram.parse(AFTER).growthSince(before, 100, 10);
        assertEquals(List.of("[B", "io.p2sgw.openvpn.engine.OpenVpnSession", "java.lang.String"),
                g.stream().map(HeapHistogram.Growth::className).toList());
        assertEquals(40960.0, g.get(0).bytesPerSession(), 1e-9);
        assertEquals(4.0, g.get(0).instancesPerSession(), 1e-9);
        assertEquals(64.0, g.get(1).bytesPerSession(), 1e-9);
        assertEquals(1, HeapHistogram.parse(AFTER).growthSince(before, 100, 1).size());
        assertTrue(HeapHistogram.format(g).contains("40960"), HeapHistogram.format(g));
    }

    @Test
    void noSessionsMeansNoGrowthFigures() {
        assertEquals(List.of(), HeapHistogram.parse(AFTER).growthSince(HeapHistogram.parse(BEFORE), 0, 10));
    }
}
