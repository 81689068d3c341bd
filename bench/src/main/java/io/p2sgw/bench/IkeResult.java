package io.p2sgw.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Everything measured for one IKEv2 responder (p2sgw or strongSwan); a failed measurement stays empty with a note why. */
final class IkeResult {
    final String server;
    Optional<Double> uploadMbps = Optional.empty();
    Optional<Double> downloadMbps = Optional.empty();
    /** Server CPU seconds (user+system) per GB through the gateway's VNet leg, median over the iperf3 tests. */
    Optional<Double> uploadCpuSecondsPerGb = Optional.empty();
    Optional<Double> downloadCpuSecondsPerGb = Optional.empty();
    /** Server CPU in % of one core per Mbit/s of goodput, median over the iperf3 tests. */
    Optional<Double> uploadCpuPercentPerMbit = Optional.empty();
    Optional<Double> downloadCpuPercentPerMbit = Optional.empty();
    Optional<Double> handshakesPerSecond = Optional.empty();
    Optional<Double> handshakeMedianMs = Optional.empty();
    Optional<Double> handshakeP95Ms = Optional.empty();
    Optional<Double> handshakeServerCpuMs = Optional.empty();
    int handshakes;
    int handshakeFailures;
    Optional<Double> heapPerSaKiB = Optional.empty();
    Optional<Double> rssPerSaKiB = Optional.empty();
    String idleDetail = "";
    /** What the throughput client negotiated (its {@code swanctl --list-sas}, shortened). */
    String negotiated = "";
    final List<String> notes = new ArrayList<>();

    IkeResult(String server) {
        this.server = server;
    }
}
