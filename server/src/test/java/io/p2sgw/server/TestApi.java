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
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Calls a started server's API over HTTPS, trusting its CA; and a data plane that serves nothing. */
final class TestApi {
    private TestApi() {}

    static HttpResponse<String> get(P2sgwServer server, String path, String token) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", server.caCertificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        try (HttpClient http = HttpClient.newBuilder().sslContext(ssl).build()) {
            HttpRequest get = HttpRequest.newBuilder(URI.create(server.apiBaseUri() + path))
                    .header("Authorization", "Bearer " + token).build();
            return http.send(get, HttpResponse.BodyHandlers.ofString());
        }
    }

    /** A data plane that serves nothing; its status and tunnel types are what the test sets. */
    static final class IdleDataPlane implements DataPlane {
        volatile String status = "running";
        volatile List<TunnelTypeStatus> tunnelTypes = List.of();

        @Override public void apply(GatewaySnapshot snapshot) {}
        @Override public void clear() {}
        @Override public List<SessionInfo> sessions() { return List.of(); }
        @Override public int disconnect(Collection<String> ids, String reason) { return 0; }
        @Override public void addListener(SessionListener listener) {}
        @Override public String status() { return status; }
        @Override public List<TunnelTypeStatus> tunnelTypes() { return tunnelTypes; }
        @Override public void close() {}
    }
}
