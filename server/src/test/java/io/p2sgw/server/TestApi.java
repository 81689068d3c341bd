package io.p2sgw.server;

import io.p2sgw.testkit.pki.Jsse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Calls a started server's API over HTTPS, trusting its CA. */
final class TestApi {
    private TestApi() {}

    static HttpResponse<String> get(P2sgwServer server, String path, String token) throws Exception {
        try (HttpClient http = HttpClient.newBuilder().sslContext(Jsse.context(null, server.caCertificate())).build()) {
            HttpRequest get = HttpRequest.newBuilder(URI.create(server.apiBaseUri() + path))
                    .header("Authorization", "Bearer " + token).build();
            return http.send(get, HttpResponse.BodyHandlers.ofString());
        }
    }
}
