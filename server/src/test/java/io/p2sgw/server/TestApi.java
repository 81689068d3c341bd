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

    /** Any method; {@code json} may be null for none. */
    static HttpResponse<String> send(P2sgwServer server, String method, String path, String token, String json)
            throws Exception {
        return send(server, HttpRequest.newBuilder(URI.create(server.apiBaseUri() + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    private static HttpResponse<String> send(P2sgwServer server, HttpRequest request) throws Exception {
        try (HttpClient http = HttpClient.newBuilder().sslContext(Jsse.context(null, server.caCertificate())).build()) {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }
}
