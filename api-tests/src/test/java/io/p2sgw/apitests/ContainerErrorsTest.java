package io.p2sgw.apitests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests the HTTP server refuses before any route sees them (issue 13): each still gets an ARM error body
 * ({@code {"error":{"code","message"}}}, azure-p2s.md §1.1) as JSON, not the servlet container's HTML page. Sent
 * as raw bytes, since client libraries refuse to send most of them.
 */
class ContainerErrorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String V = "?api-version=2024-05-01";

    @TempDir static Path dir;
    private static RunningServer server;
    private static RawHttps http;

    @BeforeAll
    static void start() {
        server = RunningServer.start(dir.resolve("data"));
        http = new RawHttps(server.caFile(), server.baseUri());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonNode assertArmError(RawHttps.Reply r, int status, String code) {
        assertEquals(status, r.status(), r.headers() + "\n" + r.text());
        assertTrue(r.header("content-type").startsWith("application/json"), "content-type " + r.header("content-type") + ": " + r.text());
        JsonNode body;
        try {
            body = JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + r.text(), e);
        }
        assertEquals(code, body.at("/error/code").asText(), r.text());
        assertFalse(body.at("/error/message").asText().isEmpty(), r.text());
        assertFalse(r.text().contains("<"), "no HTML: " + r.text());
        return body;
    }

    private static String auth() {
        return "\r\nAuthorization: Bearer " + server.adminToken();
    }

    @Test
    void anOversizedHeaderIs431WithAnArmBody() {
        RawHttps.Reply r = http.send("GET /subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups" + V
                + " HTTP/1.1" + auth() + "\r\nX-Padding: " + "a".repeat(64 * 1024));
        assertArmError(r, 431, "RequestHeaderFieldsTooLarge");
    }

    @Test
    void aNulInThePathIs400WithAnArmBody() {
        RawHttps.Reply r = http.send("GET /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/a%00b" + V
                + " HTTP/1.1" + auth());
        assertArmError(r, 400, "BadRequest");
    }

    @Test
    void aMalformedRequestLineIs400WithAnArmBody() {
        RawHttps.Reply r = http.send("GET /sub scriptions HTTP/1.1" + auth());
        assertArmError(r, 400, "BadRequest");
    }

    @Test
    void anOverlongUriIs414WithAnArmBody() {
        RawHttps.Reply r = http.send("GET /subscriptions/" + "a".repeat(64 * 1024) + V + " HTTP/1.1" + auth());
        assertArmError(r, 414, "RequestUriTooLong");
    }

    @Test
    void aBadContentLengthIs400WithAnArmBody() {
        RawHttps.Reply r = http.send("PUT /subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/rg" + V
                + " HTTP/1.1" + auth() + "\r\nContent-Length: twelve");
        assertArmError(r, 400, "BadRequest");
    }

    @Test
    void anUnsupportedMethodGetsAnArmBody() {
        RawHttps.Reply r = http.send("TRACE /subscriptions/00000000-0000-0000-0000-000000000000" + V + " HTTP/1.1" + auth());
        assertTrue(r.status() >= 400, r.text());
        assertArmError(r, r.status(), CODES.getOrDefault(r.status(), "?"));
    }

    private static final java.util.Map<Integer, String> CODES = java.util.Map.of(404, "NotFound", 405, "MethodNotAllowed",
            400, "BadRequest");

    @Test
    void anUnknownPathStaysAnArmNotFound() {
        RawHttps.Reply r = http.send("GET /nothing-here" + V + " HTTP/1.1" + auth());
        assertArmError(r, 404, "NotFound");
    }
}
