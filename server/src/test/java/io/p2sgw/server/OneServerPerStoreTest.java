package io.p2sgw.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.control.store.StoreInUseException;
import io.p2sgw.control.testing.StoreKind;
import io.p2sgw.dataplane.api.DataPlane;
import io.p2sgw.dataplane.api.GatewaySnapshot;
import io.p2sgw.dataplane.api.SessionInfo;
import io.p2sgw.dataplane.api.SessionListener;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 12: a second server on a store that a live server uses replaced the first one's admin token (the first
 * then answered 401 to it) and never learnt of the other's writes. It now refuses to start and says why.
 */
class OneServerPerStoreTest {
    @TempDir
    Path dir;

    private P2sgwServer server(Path dataDir, String storeUrl) {
        return P2sgwServer.builder()
                .dataDir(dataDir)
                .databaseUrl(storeUrl)
                .apiListen(new InetSocketAddress("127.0.0.1", 0))
                .publicAddress("127.0.0.1")
                .dataPlane(new IdleDataPlane())
                .build();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aSecondServerOnTheSameStoreRefusesToStartAndLeavesTheFirstAlone(StoreKind kind) throws Exception {
        Files.createDirectories(dir.resolve("store"));
        String url = kind.newUrl(dir.resolve("store"));
        try (P2sgwServer first = server(dir.resolve("first"), url).start()) {
            assertEquals(200, tokensStatus(first, first.adminToken()));

            P2sgwServer second = server(dir.resolve("second"), url);
            StoreInUseException e = assertThrows(StoreInUseException.class, second::start);
            assertTrue(e.getMessage().contains("is in use by"), e.getMessage());
            assertTrue(Files.notExists(dir.resolve("second").resolve("admin-token")));

            assertEquals(200, tokensStatus(first, first.adminToken()), "the first server's admin token still works");
        }
        // Once the first has stopped, the store is free; the first's data directory finds its token again.
        try (P2sgwServer again = server(dir.resolve("first"), url).start()) {
            assertEquals(200, tokensStatus(again, again.adminToken()));
        }
    }

    private static int tokensStatus(P2sgwServer server, String token) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", server.caCertificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        try (HttpClient http = HttpClient.newBuilder().sslContext(ssl).build()) {
            HttpRequest get = HttpRequest.newBuilder(URI.create(server.apiBaseUri() + "/providers/P2sgw/tokens"))
                    .header("Authorization", "Bearer " + token).build();
            return http.send(get, HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }

    /** A data plane that serves nothing: this test is about the store. */
    private static final class IdleDataPlane implements DataPlane {
        @Override public void apply(GatewaySnapshot snapshot) {}
        @Override public void clear() {}
        @Override public List<SessionInfo> sessions() { return List.of(); }
        @Override public int disconnect(Collection<String> ids, String reason) { return 0; }
        @Override public void addListener(SessionListener listener) {}
        @Override public String status() { return "running"; }
        @Override public void close() {}
    }
}
