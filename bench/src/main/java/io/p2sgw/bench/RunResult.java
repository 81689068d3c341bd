package io.p2sgw.bench;

import io.p2sgw.bench.ClientProfile.Proto;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Everything measured for one server over one transport; a failed measurement stays empty with a note why. */
final class RunResult {
    final String server;
    final Proto proto;
    Optional<Double> uploadMbps = Optional.empty();
    Optional<Double> downloadMbps = Optional.empty();
    Optional<Double> handshakesPerSecond = Optional.empty();
    Optional<Double> handshakeMedianMs = Optional.empty();
    Optional<Double> handshakeP95Ms = Optional.empty();
    Optional<Double> handshakeServerCpuMs = Optional.empty();
    int handshakes;
    int handshakeFailures;
    Optional<Double> heapPerSessionKiB = Optional.empty();
    Optional<Double> rssPerSessionKiB = Optional.empty();
    String idleDetail = "";
    String dataCipher = "";
    String controlChannel = "";
    final List<String> notes = new ArrayList<>();

    RunResult(String server, Proto proto) {
        this.server = server;
        this.proto = proto;
    }
}
