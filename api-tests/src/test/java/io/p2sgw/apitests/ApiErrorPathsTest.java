package io.p2sgw.apitests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Error paths through the real server (issue 2 "Done when"): each gets its status, an ARM error body
 * ({@code {"error":{"code","message"}}}, azure-p2s.md §1.1) and changes nothing.
 */
class ApiErrorPathsTest {
    private static final String V = "?api-version=2024-05-01";
    private static final String VNET_BODY = """
            {"location":"eastus","properties":{"addressSpace":{"addressPrefixes":["10.1.0.0/16"]},
             "subnets":[{"name":"FrontEnd","properties":{"addressPrefix":"10.1.0.0/24"}}]}}""";

    @TempDir Path dir;
    private RunningServer server;
    private Curl curl;

    @BeforeEach
    void start() {
        server = RunningServer.start(dir.resolve("data"));
        curl = new Curl(server.caFile(), dir, server.adminToken());
        curl.send("PUT", url(Seed.RG_PATH), Optional.of("{\"location\":\"eastus\"}"), List.of());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String url(String path) {
        return server.baseUri() + path + V;
    }

    private static void assertArmError(Curl.Reply r, int status) {
        assertEquals(status, r.status(), r.text());
        JsonNode err = r.json().path("error");
        assertFalse(err.path("code").asText().isEmpty(), "error.code: " + r.text());
        assertFalse(err.path("message").asText().isEmpty(), "error.message: " + r.text());
    }

    @Test
    void missingOrWrongTokenIs401AndChangesNothing() {
        Curl.Reply none = curl.withoutToken().send("PUT", url(Seed.VNET_PATH), Optional.of(VNET_BODY), List.of());
        assertArmError(none, 401);
        Curl.Reply wrong = curl.withToken("not-a-token").send("PUT", url(Seed.VNET_PATH), Optional.of(VNET_BODY), List.of());
        assertArmError(wrong, 401);
        assertFalse(wrong.text().contains("not-a-token"), "the token is not echoed");
        assertEquals(404, curl.get(url(Seed.VNET_PATH)).status(), "nothing was created");
        assertArmError(curl.withoutToken().get(url(Seed.VNET_PATH)), 401);
    }

    @Test
    void wrongEtagIs412AndChangesNothing() {
        curl.send("PUT", url(Seed.VNET_PATH), Optional.of(VNET_BODY), List.of()).expect(201);
        JsonNode before = curl.get(url(Seed.VNET_PATH)).expect(200).json();
        String changed = VNET_BODY.replace("10.1.0.0/16", "10.1.0.0/16\",\"10.2.0.0/16");
        Curl.Reply r = curl.send("PUT", url(Seed.VNET_PATH), Optional.of(changed), List.of("If-Match: W/\"00000000-0000-0000-0000-000000000000\""));
        assertArmError(r, 412);
        JsonNode after = curl.get(url(Seed.VNET_PATH)).expect(200).json();
        assertEquals(before, after);
        // The right etag succeeds.
        curl.send("PUT", url(Seed.VNET_PATH), Optional.of(changed), List.of("If-Match: " + before.path("etag").asText())).expect(200);
        assertEquals(2, curl.get(url(Seed.VNET_PATH)).expect(200).json().at("/properties/addressSpace/addressPrefixes").size());
    }

    @Test
    void malformedJsonIs400AndChangesNothing() {
        Curl.Reply r = curl.send("PUT", url(Seed.VNET_PATH), Optional.of("{\"location\":\"eastus\",\"properties\":{"), List.of());
        assertArmError(r, 400);
        assertEquals(404, curl.get(url(Seed.VNET_PATH)).status());
        Curl.Reply wrongType = curl.send("PUT", url(Seed.VNET_PATH),
                Optional.of("{\"location\":\"eastus\",\"properties\":{\"addressSpace\":{\"addressPrefixes\":\"10.1.0.0/16\"}}}"), List.of());
        assertArmError(wrongType, 400);
        assertEquals(404, curl.get(url(Seed.VNET_PATH)).status());
    }

    @Test
    void missingApiVersionIsAnArmError() {
        Curl.Reply r = curl.get(server.baseUri() + Seed.VNET_PATH);
        assertArmError(r, 400);
        assertTrue(r.text().toLowerCase().contains("api-version"), r.text());
    }

    /**
     * Azure's Reader holds only read operations: every POST action on a gateway, connection health (users' names,
     * public addresses, thumbprints) included, is 403 AuthorizationFailed (azure-p2s.md §6.1; issue 13), decided
     * before the gateway is looked up; reading stays allowed.
     */
    @Test
    void aReaderGets403ForEveryGatewayAction() {
        Curl.Reply created = curl.send("POST", server.baseUri() + "/providers/P2sgw/tokens" + V,
                Optional.of("{\"name\":\"auditor\",\"role\":\"Reader\"}"), List.of());
        assertTrue(created.status() == 200 || created.status() == 201, created.text());
        Curl reader = curl.withToken(created.json().path("token").asText());
        for (String action : List.of("getVpnClientConnectionHealth", "disconnectVirtualNetworkGatewayVpnConnections",
                "generatevpnclientpackage", "generatevpnprofile", "getvpnprofilepackageurl", "resetvpnclientsharedkey")) {
            Curl.Reply r = reader.send("POST", url(Seed.GW_PATH + "/" + action), Optional.of("{}"), List.of());
            assertArmError(r, 403);
            assertEquals("AuthorizationFailed", r.json().at("/error/code").asText(), r.text());
            assertTrue(r.json().at("/error/message").asText().contains(
                    "'Microsoft.Network/virtualNetworkGateways/" + action.toLowerCase() + "/action' over scope '"), r.text());
        }
        assertEquals(200, reader.get(url(Seed.RG_PATH)).status(), "a Reader still reads");
    }

    /**
     * Only the api-versions p2sgw implements are answered; others get ARM's refusal naming the supported ones
     * (issue 13): NoRegisteredProviderFound for Microsoft.Network types, InvalidApiVersionParameter for resource
     * groups and for values that are not dates. Nothing is written.
     */
    @Test
    void unsupportedApiVersionsGetArmsRefusalWithTheSupportedList() {
        String v = server.baseUri() + Seed.VNET_PATH + "?api-version=";
        Curl.Reply old = curl.send("PUT", v + "1999-01-01", Optional.of(VNET_BODY), List.of());
        assertArmError(old, 400);
        assertEquals("NoRegisteredProviderFound", old.json().at("/error/code").asText(), old.text());
        assertEquals("No registered resource provider found for location 'eastus' and API version '1999-01-01' for type"
                + " 'virtualNetworks'. The supported api-versions are '2024-05-01, 2025-03-01'.", old.json().at("/error/message").asText());
        Curl.Reply preview = curl.get(v + "2024-05-01-preview");
        assertEquals("NoRegisteredProviderFound", preview.json().at("/error/code").asText(), preview.text());
        Curl.Reply junk = curl.get(v + "latest");
        assertArmError(junk, 400);
        assertEquals("InvalidApiVersionParameter", junk.json().at("/error/code").asText(), junk.text());
        assertTrue(junk.json().at("/error/message").asText().contains("'2025-03-01,2024-05-01'"), junk.text());
        Curl.Reply group = curl.get(server.baseUri() + Seed.RG_PATH + "?api-version=2024-05-01-preview");
        assertArmError(group, 400);
        assertEquals("The api-version '2024-05-01-preview' is invalid. The supported versions are '2025-04-01,2024-05-01'.",
                group.json().at("/error/message").asText());
        assertEquals("InvalidApiVersionParameter", group.json().at("/error/code").asText());
        assertEquals(404, curl.get(url(Seed.VNET_PATH)).status(), "nothing was created");
        // The versions the Azure SDK for Java sends (network 2025-03-01, resources 2025-04-01) are answered.
        assertEquals(404, curl.get(v + "2025-03-01").status());
        assertEquals(200, curl.get(server.baseUri() + Seed.RG_PATH + "?api-version=2025-04-01").status());
    }

    /** A token request whose name or role is not a JSON string says so (issue 13), instead of "Token name '' is invalid". */
    @Test
    void aTokenRequestWithANonStringNameSaysWhatWasWrong() {
        String tokens = server.baseUri() + "/providers/P2sgw/tokens";
        Curl.Reply number = curl.send("POST", tokens, Optional.of("{\"name\":42,\"role\":\"Reader\"}"), List.of());
        assertArmError(number, 400);
        assertEquals("InvalidTokenName", number.json().at("/error/code").asText());
        assertTrue(number.json().at("/error/message").asText().contains("'name' must be a JSON string, not a number"), number.text());
        Curl.Reply object = curl.send("POST", tokens, Optional.of("{\"name\":{\"a\":1}}"), List.of());
        assertTrue(object.json().at("/error/message").asText().contains("not an object"), object.text());
        Curl.Reply missing = curl.send("POST", tokens, Optional.of("{\"role\":\"Reader\"}"), List.of());
        assertArmError(missing, 400);
        assertTrue(missing.json().at("/error/message").asText().contains("has no 'name'"), missing.text());
        Curl.Reply role = curl.send("POST", tokens, Optional.of("{\"name\":\"auditor\",\"role\":[\"Reader\"]}"), List.of());
        assertEquals("InvalidRole", role.json().at("/error/code").asText(), role.text());
        assertTrue(role.json().at("/error/message").asText().contains("'role' must be a JSON string, not an array"), role.text());
        Curl.Reply empty = curl.send("POST", tokens, Optional.of("{\"name\":\"\"}"), List.of());
        assertTrue(empty.json().at("/error/message").asText().startsWith("The token name is empty"), empty.text());
    }
}
