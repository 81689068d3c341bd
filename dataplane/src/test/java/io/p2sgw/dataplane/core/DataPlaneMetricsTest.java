package io.p2sgw.dataplane.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.p2sgw.dataplane.session.SessionRegistry;
import io.p2sgw.dataplane.session.TrafficTotals;
import org.junit.jupiter.api.Test;

/**
 * Defect: {@code p2sgw_bytes_total{direction="egress"}} read 0 after a garbage collection. Micrometer keeps a function
 * counter's state object by a weak reference, and the egress counter's state (the largest value reported) was held by
 * nothing else, so a GC froze the counter. GatewayDataPlaneTest failed now and then on it; here the GC is forced.
 */
class DataPlaneMetricsTest {
    @Test
    void theEgressCounterStillCountsAfterAGarbageCollection() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        TrafficTotals totals = TrafficTotals.create();
        DataPlaneMetrics metrics = new DataPlaneMetrics(meters, new SessionRegistry(), totals);
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(10);
        }
        totals.egressBytes().add(600);
        totals.egressPackets().add(3);
        assertEquals(600.0, meters.get("p2sgw.bytes").tag("direction", "egress").functionCounter().count());
        assertEquals(3.0, meters.get("p2sgw.packets").tag("direction", "egress").functionCounter().count());
        java.lang.ref.Reference.reachabilityFence(metrics); // the data plane holds its metrics for its whole life
    }
}
