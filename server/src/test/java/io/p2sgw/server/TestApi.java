package io.p2sgw.server;

import io.p2sgw.dataplane.api.DataPlane;
import io.p2sgw.dataplane.api.GatewaySnapshot;
import io.p2sgw.dataplane.api.SessionInfo;
import io.p2sgw.dataplane.api.SessionListener;
import io.p2sgw.dataplane.api.TunnelTypeStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Calls a started server's API over HTTPS, trusting its CA; and a data plane that serves nothing. */
final class TestApi {
    private TestApi() {}

    static HttpResponse<String> get(P2sgwServer server, String path, String token) throws Exception {
        return send(server, HttpRequest.newBuilder(URI.create(server.apiBaseUri() + path))
                .header("Authorization", "Bearer " + token).build());
    }

    static HttpResponse<String> put(P2sgwServer server, String path, String token, String json) throws Exception {
        return send(server, HttpRequest.newBuilder(URI.create(server.apiBaseUri() + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    static HttpResponse<String> post(P2sgwServer server, String path, String token, String json) throws Exception {
        return send(server, HttpRequest.newBuilder(URI.create(server.apiBaseUri() + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private static HttpResponse<String> send(P2sgwServer server, HttpRequest request) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", server.caCertificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        try (HttpClient http = HttpClient.newBuilder().sslContext(ssl).build()) {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }

    /**
     * A data plane that serves nothing; its status and tunnel types are what the test sets, and it keeps the snapshot
     * it was last given (empty after a clear).
     */
    static final class IdleDataPlane implements DataPlane {
        volatile String status = "running";
        volatile List<TunnelTypeStatus> tunnelTypes = List.of();
        volatile Optional<GatewaySnapshot> last = Optional.empty();
        final List<SessionInfo> sessions = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<String> disconnected = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override public void apply(GatewaySnapshot snapshot) { last = Optional.of(snapshot); }
        @Override public void clear() { last = Optional.empty(); }
        @Override public List<SessionInfo> sessions() { return List.copyOf(sessions); }
        @Override public int disconnect(Collection<String> ids, String reason) {
            int before = sessions.size();
            sessions.removeIf(s -> ids.contains(s.vpnConnectionId()));
            disconnected.addAll(ids);
            return before - sessions.size();
        }
        @Override public void addListener(SessionListener listener) {}
        @Override public String status() { return status; }
        @Override public List<TunnelTypeStatus> tunnelTypes() { return tunnelTypes; }
        @Override public void close() {}
    }
}
