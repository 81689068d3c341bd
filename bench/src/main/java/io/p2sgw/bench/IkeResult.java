package io.p2sgw.bench;

import java.util.Optional;

/** Everything measured for one IKEv2 responder (p2sgw or strongSwan); memory per session is per idle SA here. */
final class IkeResult extends ServerResult {
    Optional<Double> uploadMbps = Optional.empty();
    Optional<Double> downloadMbps = Optional.empty();
    /** Server CPU seconds (user+system) per GB through the gateway's VNet leg, median over the iperf3 tests. */
    Optional<Double> uploadCpuSecondsPerGb = Optional.empty();
    Optional<Double> downloadCpuSecondsPerGb = Optional.empty();
    /** Server CPU in % of one core per Mbit/s of goodput, median over the iperf3 tests. */
    Optional<Double> uploadCpuPercentPerMbit = Optional.empty();
    Optional<Double> downloadCpuPercentPerMbit = Optional.empty();
    HandshakeFigures handshakes = HandshakeFigures.NONE;
    /** What the throughput client negotiated (its {@code swanctl --list-sas}, shortened). */
    String negotiated = "";

    IkeResult(String server) {
        super(server);
    }
}
