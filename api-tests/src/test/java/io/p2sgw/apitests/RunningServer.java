package io.p2sgw.apitests;

import io.p2sgw.server.P2sgwServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;

/**
 * The real p2sgw server in this JVM: HTTPS API on a loopback port, SQLite store in {@code dataDir}, and a
 * {@link RecordingDataPlane} instead of the real data plane (these tests are about the API).
 */
final class RunningServer implements AutoCloseable {
    private final P2sgwServer server;
    private final RecordingDataPlane dataPlane;

    private RunningServer(P2sgwServer server, RecordingDataPlane dataPlane) {
        this.server = server;
        this.dataPlane = dataPlane;
    }

    static RunningServer start(Path dataDir) {
        return start(dataDir, java.time.Duration.ofMinutes(60));
    }

    static RunningServer start(Path dataDir, java.time.Duration packageTtl) {
        return start(dataDir, packageTtl, b -> { });
    }

    /** With further settings, e.g. the served ports ({@code --tcp-port}). */
    static RunningServer start(Path dataDir, java.time.Duration packageTtl, java.util.function.Consumer<P2sgwServer.Builder> more) {
        RecordingDataPlane dp = new RecordingDataPlane();
        P2sgwServer.Builder b = P2sgwServer.builder();
        more.accept(b);
        P2sgwServer s = b
                .packageTtl(packageTtl)
                .dataDir(dataDir)
                .apiListen(new InetSocketAddress("127.0.0.1", 0))
                .publicAddress("127.0.0.1")
                .dataPlane(dp)
                .build();
        s.start();
        return new RunningServer(s, dp);
    }

    URI baseUri() {
        return server.apiBaseUri();
    }

    String adminToken() {
        return server.adminToken();
    }

    /** The PEM file of the CA that issued the API's TLS certificate (curl --cacert). */
    Path caFile() {
        return server.caFile();
    }

    RecordingDataPlane dataPlane() {
        return dataPlane;
    }

    P2sgwServer server() {
        return server;
    }

    @Override
    public void close() {
        server.close();
    }
}
