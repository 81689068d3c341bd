package io.p2sgw.bench;

import io.p2sgw.bench.ClientProfile.Proto;
import java.util.Optional;

/** Everything measured for one OpenVPN server over one transport. */
final class RunResult extends ServerResult {
    final Proto proto;
    Optional<Double> uploadMbps = Optional.empty();
    Optional<Double> downloadMbps = Optional.empty();
    HandshakeFigures handshakes = HandshakeFigures.NONE;
    String dataCipher = "";
    String controlChannel = "";

    RunResult(String server, Proto proto) {
        super(server);
        this.proto = proto;
    }
}
