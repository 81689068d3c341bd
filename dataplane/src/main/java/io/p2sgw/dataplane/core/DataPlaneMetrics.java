package io.p2sgw.dataplane.core;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.p2sgw.dataplane.api.TunnelType;
import io.p2sgw.dataplane.preauth.BoundedPreAuthBudget;
import io.p2sgw.dataplane.spi.PreAuthBudget;
import io.p2sgw.dataplane.router.DropReason;
import io.p2sgw.dataplane.session.SessionRegistry;
import io.p2sgw.dataplane.session.TrafficTotals;
import io.p2sgw.dataplane.transport.StreamAcceptor;
import java.util.Locale;

/**
 * The data plane's Micrometer meters (Prometheus names after the registry's conventions):
 * {@code p2sgw_sessions{tunnel_type}}, {@code p2sgw_admissions_total{tunnel_type,outcome}},
 * {@code p2sgw_bytes_total{direction}} (azure-p2s.md §6.3 "Gateway P2S Bandwidth"),
 * {@code p2sgw_packets_dropped_total{reason}}, {@code p2sgw_tcp_connections_total{outcome}}, and the
 * pre-authentication budget's {@code p2sgw_preauth_refusals_total{transport,reason}} (junk, bad_hmac,
 * handshake_failed, timeout, per_source_cap, total_cap) and {@code p2sgw_preauth_held} (issue 13).
 */
final class DataPlaneMetrics {
    private final MeterRegistry registry;

    private final java.util.EnumMap<DropReason, Counter> drops = new java.util.EnumMap<>(DropReason.class);
    /**
     * The egress counters' state. Micrometer holds a function counter's object weakly: without this strong reference
     * a GC cleared it and the counter froze at its last value (0 in a test that read it after a collection).
     */
    private final java.util.List<java.util.concurrent.atomic.AtomicLong> reportedEgress = new java.util.ArrayList<>();

    DataPlaneMetrics(MeterRegistry registry, SessionRegistry sessions, TrafficTotals totals) {
        this.registry = registry;
        for (DropReason r : DropReason.values()) {
            drops.put(r, Counter.builder("p2sgw.packets.dropped").description("Packets the router dropped")
                    .tag("reason", r.tag()).register(registry));
        }
        traffic("ingress", "bytes", totals.ingressBytes());
        traffic("egress", "bytes", totals.egressBytes(), totals.egressDroppedBytes());
        traffic("ingress", "packets", totals.ingressPackets());
        traffic("egress", "packets", totals.egressPackets(), totals.egressDroppedPackets());
        for (TunnelType t : TunnelType.values()) {
            Gauge.builder("p2sgw.sessions", sessions, s -> s.count(t))
                    .description("Live point-to-site sessions (azure-p2s.md §6.3 P2S Connection Count)")
                    .tag("tunnel_type", t.armName())
                    .register(registry);
        }
    }

    /** outcome: "admitted" or a refusal reason in lower case. */
    /** The budget's counters, registered once with every tag value so a scrape shows zeros before the first attack. */
    void preAuth(BoundedPreAuthBudget budget) {
        for (PreAuthBudget.Transport t : PreAuthBudget.Transport.values()) {
            for (PreAuthBudget.Refusal r : PreAuthBudget.Refusal.values()) {
                FunctionCounter.builder("p2sgw.preauth.refusals", budget, b -> b.refusals(t, r))
                        .description("Unauthenticated clients, connections or datagrams turned away before admission")
                        .tag("transport", t.tag()).tag("reason", r.tag()).register(registry);
            }
        }
        Gauge.builder("p2sgw.preauth.held", budget, BoundedPreAuthBudget::held)
                .description("Unauthenticated connections and peers held now (capped per source and in total)")
                .register(registry);
    }

    void admission(TunnelType type, String outcome) {
        Counter.builder("p2sgw.admissions").description("Admission decisions after the protocol handshake")
                .tag("tunnel_type", type.armName()).tag("outcome", outcome.toLowerCase(Locale.ROOT))
                .register(registry).increment();
    }

    private void traffic(String direction, String unit, java.util.concurrent.atomic.LongAdder adder) {
        FunctionCounter.builder("p2sgw." + unit, adder, java.util.concurrent.atomic.LongAdder::doubleValue)
                .description("Traffic through sessions; ingress = client to VNet (azure-p2s.md §6.1)")
                .baseUnit(unit).tag("direction", direction).register(registry);
    }

    /**
     * Egress is what the core delivered minus what protocols then reported dropped. A drop is reported just after its
     * delivery was counted, so a scrape in between would see the counter go back; a counter must never decrease
     * (Prometheus reads that as a restart), so the value reported is the largest seen, which the true value soon
     * passes again.
     */
    private void traffic(String direction, String unit, java.util.concurrent.atomic.LongAdder delivered,
            java.util.concurrent.atomic.LongAdder dropped) {
        java.util.concurrent.atomic.AtomicLong reported = new java.util.concurrent.atomic.AtomicLong();
        reportedEgress.add(reported);
        FunctionCounter.builder("p2sgw." + unit, reported,
                        r -> r.accumulateAndGet(delivered.sum() - dropped.sum(), Math::max))
                .description("Traffic through sessions; egress = VNet to client, as it reached the client's connection")
                .baseUnit(unit).tag("direction", direction).register(registry);
    }

    void drop(DropReason reason) {
        drops.get(reason).increment();
    }

    void tcpConnection(StreamAcceptor.Outcome outcome) {
        Counter.builder("p2sgw.tcp.connections").description("Connections on the shared TCP listener")
                .tag("outcome", outcome.name().toLowerCase(Locale.ROOT)).register(registry).increment();
    }
}
