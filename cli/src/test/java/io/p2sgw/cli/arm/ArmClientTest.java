package io.p2sgw.cli.arm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.p2sgw.cli.testing.FakeArmServer;
import io.p2sgw.cli.testing.FakeArmServer.Request;
import io.p2sgw.cli.testing.FakeArmServer.Response;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ArmClientTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final StringWriter progress = new StringWriter();

    private ArmClient client(FakeArmServer s) {
        return new ArmClient(new ClientSettings(URI.create(s.base()), "secret-token", Optional.empty(), "sub1"),
                new PrintWriter(progress, true), Duration.ofMillis(10));
    }

    @Test
    void putFollowsAzureAsyncOperationThenReadsTheResource() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        try (FakeArmServer s = new FakeArmServer(r -> switch (r.method() + " " + r.path()) {
            case "PUT /subscriptions/sub1/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v" ->
                    new Response(201, "{\"name\":\"v\",\"properties\":{\"provisioningState\":\"Updating\"}}",
                            Map.of("Azure-AsyncOperation", "{base}/ops/1"));
            case "GET /ops/1" -> Response.json(200, polls.incrementAndGet() < 3 ? "{\"status\":\"InProgress\"}" : "{\"status\":\"Succeeded\"}");
            case "GET /subscriptions/sub1/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v" ->
                    Response.json(200, "{\"name\":\"v\",\"properties\":{\"provisioningState\":\"Succeeded\"}}");
            default -> Response.json(404, "{\"error\":{\"code\":\"NotFound\",\"message\":\"no\"}}");
        })) {
            ArmClient c = client(s);
            var result = c.put(c.paths().virtualNetwork("rg", "v"), JSON.readTree("{\"location\":\"eastus\"}"), false);
            assertEquals("Succeeded", result.at("/properties/provisioningState").asText());
            assertEquals(3, polls.get());
            List<Request> reqs = s.requests();
            assertEquals("PUT", reqs.get(0).method());
            assertEquals("api-version=2024-05-01", reqs.get(0).query());
            assertEquals("Bearer secret-token", reqs.get(0).header("Authorization"));
            assertEquals("application/json", reqs.get(0).header("Content-Type"));
            assertEquals("{\"location\":\"eastus\"}", reqs.get(0).body());
            assertEquals("Bearer secret-token", reqs.get(1).header("Authorization"), "operation polls carry the token");
            assertEquals("GET", reqs.getLast().method());
            assertTrue(progress.toString().contains("Running (InProgress)"), progress.toString());
            assertTrue(progress.toString().contains("Succeeded"));
        }
    }

    @Test
    void saysRunningBeforeTheFirstWaitEvenWhenTheFirstPollSucceeds() throws Exception {
        // A gateway write on p2sgw finishes within a second: the first poll already says Succeeded. The user still
        // sees that an operation ran, as az's "Running .." (issue 16).
        try (FakeArmServer s = new FakeArmServer(r -> switch (r.method() + " " + r.path()) {
            case "PUT /x" -> new Response(201, "{}", Map.of("Azure-AsyncOperation", "{base}/ops/1", "Retry-After", "0"));
            case "GET /ops/1" -> Response.json(200, "{\"status\":\"Succeeded\"}");
            default -> Response.json(200, "{\"name\":\"x\"}");
        })) {
            ArmClient c = client(s);
            c.put("/x", JSON.readTree("{}"), false);
            String p = progress.toString();
            assertTrue(p.startsWith("Running"), p);
            assertTrue(p.indexOf("Running") < p.indexOf("Succeeded"), p);
        }
    }

    @Test
    void noWaitReturnsTheFirstAnswerWithoutPolling() throws Exception {
        try (FakeArmServer s = new FakeArmServer(r -> new Response(201, "{\"name\":\"v\"}", Map.of("Azure-AsyncOperation", "{base}/ops/1")))) {
            ArmClient c = client(s);
            assertEquals("v", c.put("/x", JSON.readTree("{}"), true).path("name").asText());
            assertEquals(1, s.requests().size());
        }
    }

    @Test
    void failedOperationBecomesArmExceptionWithTheOperationsError() throws Exception {
        try (FakeArmServer s = new FakeArmServer(r -> r.path().equals("/ops/9")
                ? Response.json(200, "{\"status\":\"Failed\",\"error\":{\"code\":\"GatewayBroken\",\"message\":\"it broke\"}}")
                : new Response(201, "{}", Map.of("Azure-AsyncOperation", "{base}/ops/9")))) {
            ArmClient c = client(s);
            ArmException e = assertThrows(ArmException.class, () -> c.put("/x", JSON.readTree("{}"), false));
            assertEquals("GatewayBroken", e.code());
            assertEquals("(GatewayBroken) it broke", e.describe());
        }
    }

    @Test
    void cloudErrorIsMappedToCodeAndMessage() {
        try (FakeArmServer s = new FakeArmServer(r -> Response.json(400,
                "{\"error\":{\"code\":\"VpnClientAddressPoolOverlapsWithVnetAddressSpace\",\"message\":\"The pool overlaps.\"}}"))) {
            ArmException e = assertThrows(ArmException.class, () -> client(s).get("/x"));
            assertEquals(400, e.status());
            assertEquals("VpnClientAddressPoolOverlapsWithVnetAddressSpace", e.code());
            assertEquals("The pool overlaps.", e.getMessage());
        }
    }

    @Test
    void nonArmErrorBodyStillGivesStatus() {
        try (FakeArmServer s = new FakeArmServer(r -> Response.json(502, "bad gateway"))) {
            ArmException e = assertThrows(ArmException.class, () -> client(s).get("/x"));
            assertEquals(502, e.status());
            assertEquals("HTTP 502: bad gateway", e.getMessage());
        }
    }

    @Test
    void listFollowsNextLink() {
        try (FakeArmServer s = new FakeArmServer(r -> r.query().contains("page=2")
                ? Response.json(200, "{\"value\":[{\"name\":\"b\"}]}")
                : Response.json(200, "{\"value\":[{\"name\":\"a\"}],\"nextLink\":\"{base}/list?api-version=2024-05-01&page=2\"}"))) {
            var items = client(s).list("/list");
            assertEquals(List.of("a", "b"), items.stream().map(n -> n.path("name").asText()).toList());
        }
    }

    @Test
    void postWithLocationPollsUntilTheResultArrives() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        try (FakeArmServer s = new FakeArmServer(r -> r.path().equals("/loc")
                ? (polls.incrementAndGet() < 2 ? new Response(202, "", Map.of("Retry-After", "0"))
                : Response.json(200, "\"https://gw/pkg.zip\""))
                : new Response(202, "", Map.of("Location", "{base}/loc")))) {
            var result = client(s).post("/gw/generatevpnclientpackage", JSON.readTree("{}"), false);
            assertEquals("https://gw/pkg.zip", result.asText());
            assertEquals(2, polls.get());
        }
    }

    @Test
    void hugeRetryAfterIsClampedNotATimeout() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        try (FakeArmServer s = new FakeArmServer(r -> r.path().equals("/loc")
                ? (polls.incrementAndGet() < 3 ? new Response(202, "", Map.of("Retry-After", "86400"))
                : Response.json(200, "\"done\""))
                : new Response(202, "", Map.of("Location", "{base}/loc", "Retry-After", "86400")))) {
            ArmClient c = new ArmClient(new ClientSettings(URI.create(s.base()), "t", Optional.empty(), "sub1"),
                    new PrintWriter(progress, true), Duration.ofMillis(10), Duration.ofMillis(20));
            assertEquals("done", c.post("/gw/generatevpnclientpackage", JSON.readTree("{}"), false).asText());
            assertEquals(3, polls.get());
        }
    }

    @Test
    void downloadSendsNoToken() {
        try (FakeArmServer s = new FakeArmServer(r -> Response.json(200, "zipbytes"))) {
            byte[] b = client(s).download(URI.create(s.base() + "/pkg/abc.zip"));
            assertEquals("zipbytes", new String(b));
            assertFalse(s.requests().get(0).headers().keySet().stream().anyMatch(h -> h.equalsIgnoreCase("Authorization")));
        }
    }

    @Test
    void settingsNeverShowTheToken() {
        ClientSettings s = new ClientSettings(URI.create("https://h"), "tok-123", Optional.empty(), "s");
        assertFalse(s.toString().contains("tok-123"));
    }

    @Test
    void namesAreEscapedInPaths() {
        assertEquals("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworkGateways/gw",
                new ArmPaths("s").gateway("rg", "gw"));
        assertEquals("/subscriptions/s/resourceGroups/my%20rg", new ArmPaths("s").resourceGroup("my rg"));
    }
}
