package io.p2sgw.dataplane.session;

import java.util.concurrent.atomic.LongAdder;

/** Gateway-wide traffic totals, kept next to the per-session counters so metrics outlive sessions. */
public record TrafficTotals(LongAdder ingressBytes, LongAdder egressBytes, LongAdder ingressPackets, LongAdder egressPackets) {
    public static TrafficTotals create() {
        return new TrafficTotals(new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder());
    }
}
