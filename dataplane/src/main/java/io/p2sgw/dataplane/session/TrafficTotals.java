package io.p2sgw.dataplane.session;

import java.util.concurrent.atomic.LongAdder;

/**
 * Gateway-wide traffic totals, kept next to the per-session counters so metrics outlive sessions. Egress is counted
 * when the core delivers a packet to a protocol; what the protocol then reports dropped is counted apart
 * ({@code egressDropped*}), and what reached clients is the difference.
 */
public record TrafficTotals(LongAdder ingressBytes, LongAdder egressBytes, LongAdder ingressPackets, LongAdder egressPackets,
        LongAdder egressDroppedBytes, LongAdder egressDroppedPackets) {
    public static TrafficTotals create() {
        return new TrafficTotals(new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder(),
                new LongAdder());
    }
}
