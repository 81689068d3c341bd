package io.p2sgw.apitests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.p2sgw.dataplane.api.GatewaySnapshot;
import io.p2sgw.dataplane.api.TunnelType;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed walkthrough (spec/seed-p2s-certificate-portal.md, example values) through the real {@code curl}, the
 * way an operator following ARM REST docs would do it: create, poll the async operation, read back, download.
 */
class CurlWalkthroughTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String V = "?api-version=2024-05-01";

    @TempDir Path dir;
    private RunningServer server;
    private Curl curl;

    @BeforeEach
    void start() throws Exception {
        server = RunningServer.start(dir.resolve("data"));
        curl = new Curl(server.caFile(), dir, server.adminToken());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String url(String path) {
        return server.baseUri() + path + V;
    }

    /** PUT and, when the answer names an operation, poll it to Succeeded; returns the final resource. */
    private JsonNode putAndWait(String path, String body, int expectedStatus) {
        Curl.Reply r = curl.send("PUT", url(path), Optional.of(body), List.of()).expect(expectedStatus);
        Optional<String> op = r.header("Azure-AsyncOperation");
        if (op.isPresent()) {
            assertEquals("Succeeded", curl.awaitOperation(op.get()));
        }
        JsonNode res = curl.get(url(path)).expect(200).json();
        assertEquals("Succeeded", res.at("/properties/provisioningState").asText("Succeeded"), res.toString());
        return res;
    }

    @Test
    void seedWalkthroughWithCurl() throws Exception {
        Seed.Certs certs = Seed.Certs.create();

        // Resource group (ARM: PUT .../resourcegroups/{rg}).
        Curl.Reply rg = curl.send("PUT", url(Seed.RG_PATH), Optional.of("{\"location\":\"" + Seed.LOCATION + "\"}"), List.of());
        assertTrue(rg.status() == 201 || rg.status() == 200, rg.text());

        // VNet1 10.1.0.0/16 with FrontEnd and GatewaySubnet.
        JsonNode vnet = putAndWait(Seed.VNET_PATH, """
                {"location":"eastus","properties":{"addressSpace":{"addressPrefixes":["10.1.0.0/16"]},
                 "subnets":[{"name":"FrontEnd","properties":{"addressPrefix":"10.1.0.0/24"}},
                            {"name":"GatewaySubnet","properties":{"addressPrefix":"10.1.255.0/27"}}]}}""", 201);
        assertEquals(Seed.VNET, vnet.path("name").asText());
        assertEquals("Microsoft.Network/virtualNetworks", vnet.path("type").asText());
        assertEquals(Seed.VNET_PATH, vnet.path("id").asText());
        assertEquals(List.of(Seed.FRONTEND, Seed.GATEWAY_SUBNET), names(vnet.at("/properties/subnets")));

        // Public IP VNet1GWpip.
        JsonNode pip = putAndWait(Seed.PIP_PATH, """
                {"location":"eastus","sku":{"name":"Standard"},"properties":{"publicIPAllocationMethod":"Static"}}""", 201);
        assertEquals("Static", pip.at("/properties/publicIPAllocationMethod").asText());

        // VNet1GW: Vpn, RouteBased, VpnGw2 Generation2. Creation is a long-running operation.
        String gwBody = """
                {"location":"eastus","properties":{
                  "ipConfigurations":[{"name":"gwipconfig1","properties":{"privateIPAllocationMethod":"Dynamic",
                     "subnet":{"id":"%s/subnets/GatewaySubnet"},"publicIPAddress":{"id":"%s"}}}],
                  "gatewayType":"Vpn","vpnType":"RouteBased","vpnGatewayGeneration":"Generation2",
                  "sku":{"name":"VpnGw2","tier":"VpnGw2"},"activeActive":false,"enableBgp":false}}"""
                .formatted(Seed.VNET_PATH, Seed.PIP_PATH);
        Curl.Reply created = curl.send("PUT", url(Seed.GW_PATH), Optional.of(gwBody), List.of()).expect(201);
        Curl.assertHasAsyncHeaders(created);
        assertEquals("Succeeded", curl.awaitOperation(created.header("Azure-AsyncOperation").orElseThrow()));

        // Point-to-site configuration, saved like the portal's Save: read, change, write back with If-Match.
        JsonNode gw = curl.get(url(Seed.GW_PATH)).expect(200).json();
        String etag = gw.path("etag").asText();
        assertFalse(etag.isEmpty(), "gateway has an etag");
        com.fasterxml.jackson.databind.node.ObjectNode edited = gw.deepCopy();
        com.fasterxml.jackson.databind.node.ObjectNode vcc = ((com.fasterxml.jackson.databind.node.ObjectNode) edited.get("properties"))
                .putObject("vpnClientConfiguration");
        vcc.putObject("vpnClientAddressPool").putArray("addressPrefixes").add(Seed.POOL);
        vcc.putArray("vpnClientProtocols").add("IkeV2").add("OpenVPN");
        vcc.putArray("vpnAuthenticationTypes").add("Certificate");
        com.fasterxml.jackson.databind.node.ObjectNode root = vcc.putArray("vpnClientRootCertificates").addObject();
        root.put("name", Seed.ROOT_NAME);
        root.putObject("properties").put("publicCertData", certs.rootData());
        Curl.Reply updated = curl.send("PUT", url(Seed.GW_PATH), Optional.of(JSON.writeValueAsString(edited)),
                List.of("If-Match: " + etag)).expect(200);
        updated.header("Azure-AsyncOperation").ifPresent(op -> assertEquals("Succeeded", curl.awaitOperation(op)));

        // A revoked client certificate, through the child resource.
        String revokedPath = Seed.GW_PATH + "/vpnClientRevokedCertificates/" + Seed.REVOKED_NAME;
        Curl.Reply revoked = curl.send("PUT", url(revokedPath),
                Optional.of("{\"properties\":{\"thumbprint\":\"" + certs.revokedThumbprint().toUpperCase() + "\"}}"), List.of());
        assertTrue(revoked.status() == 200 || revoked.status() == 201, revoked.text());
        revoked.header("Azure-AsyncOperation").ifPresent(op -> assertEquals("Succeeded", curl.awaitOperation(op)));

        // GET shows everything.
        JsonNode fin = curl.get(url(Seed.GW_PATH)).expect(200).json();
        JsonNode p = fin.path("properties");
        assertEquals("Succeeded", p.path("provisioningState").asText());
        assertEquals("Vpn", p.path("gatewayType").asText());
        assertEquals("RouteBased", p.path("vpnType").asText());
        assertEquals("VpnGw2", p.at("/sku/name").asText());
        assertEquals("Generation2", p.path("vpnGatewayGeneration").asText());
        assertEquals(Seed.VNET_PATH + "/subnets/GatewaySubnet", p.at("/ipConfigurations/0/properties/subnet/id").asText());
        assertEquals(Seed.PIP_PATH, p.at("/ipConfigurations/0/properties/publicIPAddress/id").asText());
        JsonNode vc = p.path("vpnClientConfiguration");
        assertEquals(List.of(Seed.POOL), texts(vc.at("/vpnClientAddressPool/addressPrefixes")));
        assertEquals(List.of("IkeV2", "OpenVPN"), texts(vc.path("vpnClientProtocols")));
        assertEquals(List.of("Certificate"), texts(vc.path("vpnAuthenticationTypes")));
        assertEquals(Seed.ROOT_NAME, vc.at("/vpnClientRootCertificates/0/name").asText());
        assertEquals(certs.rootData(), vc.at("/vpnClientRootCertificates/0/properties/publicCertData").asText());
        assertEquals(Seed.GW_PATH + "/vpnClientRootCertificates/" + Seed.ROOT_NAME, vc.at("/vpnClientRootCertificates/0/id").asText());
        assertEquals(Seed.REVOKED_NAME, vc.at("/vpnClientRevokedCertificates/0/name").asText());
        assertTrue(certs.revokedThumbprint().equalsIgnoreCase(vc.at("/vpnClientRevokedCertificates/0/properties/thumbprint").asText()));

        // The configuration reached the data plane.
        GatewaySnapshot snap = server.dataPlane().last().orElseThrow(() -> new AssertionError("no snapshot applied"));
        assertEquals(List.of(Seed.POOL), snap.addressPool());
        assertEquals(Set.of(TunnelType.IKEV2, TunnelType.OPENVPN), snap.tunnelTypes());
        assertEquals(Set.of(certs.revokedThumbprint().toLowerCase()), snap.revokedThumbprints());
        assertEquals(1, snap.trustedCertificates().size());

        // Client package: POST generatevpnclientpackage gives a URL (after an LRO), downloadable WITHOUT the token.
        Curl.Reply gen = curl.send("POST", url(Seed.GW_PATH + "/generatevpnclientpackage"),
                Optional.of("{\"processorArchitecture\":\"Amd64\",\"authenticationMethod\":\"EAPTLS\"}"), List.of());
        JsonNode pkgUrl;
        if (gen.status() == 202) {
            pkgUrl = curl.awaitLocation(gen.header("Location").orElseThrow()).expect(200).json();
        } else {
            pkgUrl = gen.expect(200).json();
        }
        assertTrue(pkgUrl.isTextual(), "generatevpnclientpackage returns a JSON string: " + pkgUrl);
        Curl.Reply zip = curl.withoutToken().get(pkgUrl.asText()).expect(200);
        List<String> entries = zipEntries(zip.body());
        assertTrue(entries.contains("OpenVPN/vpnconfig.ovpn"), entries.toString());
        assertTrue(entries.contains("Generic/VpnSettings.xml"), entries.toString());

        // Listing shows the gateway.
        JsonNode list = curl.get(url(Seed.NET + "/virtualNetworkGateways")).expect(200).json();
        assertEquals(List.of(Seed.GATEWAY), names(list.path("value")));
    }

    static List<String> zipEntries(byte[] zip) throws Exception {
        List<String> names = new ArrayList<>();
        try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
                names.add(e.getName());
            }
        }
        assertFalse(names.isEmpty(), "package is a non-empty zip");
        return names;
    }

    static List<String> names(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.path("name").asText()));
        return out;
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
