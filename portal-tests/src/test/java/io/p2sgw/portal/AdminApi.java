package io.p2sgw.portal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * The REST API as the test checks it behind the browser's back: what the portal saved must be what
 * the API now returns.
 */
final class AdminApi {
    static final String API_VERSION = "2024-05-01";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** Package generation polling: the server asks for Retry-After seconds; this only bounds the loop. */
    private static final Duration POLL_INTERVAL = Duration.ofMillis(250);
    private static final int MAX_POLLS = 240;
    private final HttpClient http;
    private final SSLContext ssl;
    private final URI base;
    private final String token;
    private final ObjectMapper json = new ObjectMapper();

    AdminApi(URI base, String token, X509Certificate trustedCa) throws GeneralSecurityException, IOException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("p2sgw-ca", trustedCa);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        this.ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        this.http = HttpClient.newBuilder().sslContext(ssl).connectTimeout(TIMEOUT).build();
        this.base = base;
        this.token = token;
    }

    /** The API's own (leaf) certificate, from a handshake that validated it against the p2sgw CA. */
    X509Certificate serverCertificate() throws IOException {
        try (SSLSocket socket = (SSLSocket) ssl.getSocketFactory().createSocket(base.getHost(), base.getPort())) {
            SSLParameters params = socket.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(params);
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    JsonNode get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    JsonNode post(String path, Object body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))));
    }

    /** PUT of a JSON text (resources the walkthrough does not make through the portal). */
    JsonNode put(String path, String jsonBody) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(jsonBody)));
    }

    /** The status of an empty-bodied POST made with another token (a Reader's, to see it refused). */
    int postStatusAs(String otherToken, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + otherToken)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}"))
                .timeout(TIMEOUT).build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /**
     * The client package the way a script gets it (azure-p2s.md §1.1): POST generatevpnclientpackage,
     * poll the 202's Location until it answers the URL as a JSON string, then GET the bytes.
     */
    byte[] clientPackage(String gatewayPath) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(authorized(HttpRequest.newBuilder(uri(gatewayPath + "/generatevpnclientpackage"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"processorArchitecture\":\"Amd64\"}"))), HttpResponse.BodyHandlers.ofString());
        for (int polls = 0; r.statusCode() == 202 && polls < MAX_POLLS; polls++) {
            URI location = URI.create(r.headers().firstValue("Location").orElseThrow(() -> new IOException("202 without Location")));
            Thread.sleep(POLL_INTERVAL.toMillis());
            r = http.send(authorized(HttpRequest.newBuilder(location).GET()), HttpResponse.BodyHandlers.ofString());
        }
        if (r.statusCode() != 200) {
            throw new IOException("package URL: " + r.statusCode() + " " + r.body());
        }
        String url = json.readTree(r.body()).asText();
        HttpResponse<byte[]> zip = http.send(authorized(HttpRequest.newBuilder(URI.create(url)).GET()), HttpResponse.BodyHandlers.ofByteArray());
        if (zip.statusCode() != 200) {
            throw new IOException("GET " + url + " -> " + zip.statusCode());
        }
        return zip.body();
    }

    private HttpRequest authorized(HttpRequest.Builder b) {
        return b.header("Authorization", "Bearer " + token).timeout(TIMEOUT).build();
    }

    private JsonNode send(HttpRequest.Builder b) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(b.header("Authorization", "Bearer " + token).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IOException(r.request().method() + " " + r.request().uri() + " -> " + r.statusCode() + " " + r.body());
        }
        return r.body().isEmpty() ? json.nullNode() : json.readTree(r.body());
    }

    private URI uri(String path) {
        String sep = path.contains("?") ? "&" : "?";
        String b = base.toString().replaceAll("/+$", "");
        return URI.create(b + path + (path.startsWith("/providers/P2sgw") ? "" : sep + "api-version=" + API_VERSION));
    }
}
