package io.p2sgw.cli.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.p2sgw.cli.testing.CliRun;
import io.p2sgw.cli.testing.FakeArmServer;
import io.p2sgw.cli.testing.FakeArmServer.Request;
import io.p2sgw.cli.testing.FakeArmServer.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Argument-to-request mapping of {@code p2sgw network ...} against a recording loopback server. */
class NetworkCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SUB = "/subscriptions/00000000-0000-0000-0000-000000000000";
    private static final String RG = SUB + "/resourceGroups/TestRG1";
    private static final String NET = RG + "/providers/Microsoft.Network";
    private static final String GW_JSON = """
            {"name":"VNet1GW","etag":"W/\\"e1\\"","location":"eastus","properties":{"gatewayType":"Vpn","vpnType":"RouteBased",
             "sku":{"name":"VpnGw2","tier":"VpnGw2"},"vpnClientConfiguration":{"vpnClientAddressPool":{"addressPrefixes":["172.16.201.0/24"]},
             "vpnClientRootCertificates":[{"name":"P2SRootCert","properties":{"publicCertData":"AAAA"}}],
             "vpnClientRevokedCertificates":[{"name":"lost","properties":{"thumbprint":"51AB"}}]},"provisioningState":"Succeeded"}}""";

    private FakeArmServer server;

    @BeforeEach
    void start() {
        server = new FakeArmServer(r -> {
            if (r.method().equals("GET") && r.path().equals(RG)) {
                return Response.json(200, "{\"name\":\"TestRG1\",\"location\":\"eastus\"}");
            }
            if (r.method().equals("GET") && r.path().endsWith("/virtualNetworkGateways/VNet1GW")) {
                return Response.json(200, GW_JSON);
            }
            if (r.method().equals("PUT")) {
                return Response.json(200, r.body());
            }
            if (r.method().equals("DELETE")) {
                return Response.json(200, "");
            }
            if (r.path().endsWith("/virtualNetworkGateways/OtherGW/generatevpnclientpackage")) {
                return new Response(200, "\"{base}/download/pkg.zip\"", Map.of("x-p2sgw-warning",
                        "Gateway OtherGW is not served by this p2sgw server; clients cannot connect with this package."));
            }
            if (r.path().endsWith("/generatevpnclientpackage")) {
                return Response.json(200, "\"{base}/download/pkg.zip\"");
            }
            if (r.path().endsWith("/download/pkg.zip")) {
                return Response.json(200, "PK-zip");
            }
            if (r.path().endsWith("/getVpnClientConnectionHealth")) {
                return Response.json(200, "{\"value\":[{\"vpnConnectionId\":\"OpenVPN_1\",\"vpnUserName\":\"client1\",\"privateIpAddress\":\"172.16.201.2\"}]}");
            }
            if (r.path().endsWith("/disconnectVirtualNetworkGatewayVpnConnections")) {
                return Response.json(200, "");
            }
            return Response.json(404, "{\"error\":{\"code\":\"ResourceNotFound\",\"message\":\"The Resource '" + r.path() + "' was not found.\"}}");
        });
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private CliRun run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--endpoint", server.base(), "--token", "t0k"));
        return CliRun.of(new NetworkCommand(), all.toArray(String[]::new));
    }

    private Request last(String method) {
        return server.requests().stream().filter(r -> r.method().equals(method)).reduce((a, b) -> b).orElseThrow();
    }

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s);
    }

    @Test
    void vnetCreateWithSubnetAndDns() throws Exception {
        CliRun r = run("vnet", "create", "-g", "TestRG1", "-n", "VNet1", "--address-prefixes", "10.1.0.0/16",
                "--subnet-name", "FrontEnd", "--subnet-prefixes", "10.1.0.0/24", "--dns-servers", "10.1.0.4", "10.1.0.5");
        assertEquals(0, r.exitCode(), r.err());
        Request put = last("PUT");
        assertEquals(NET + "/virtualNetworks/VNet1", put.path());
        assertEquals(json("""
                {"location":"eastus","properties":{"addressSpace":{"addressPrefixes":["10.1.0.0/16"]},
                 "dhcpOptions":{"dnsServers":["10.1.0.4","10.1.0.5"]},
                 "subnets":[{"name":"FrontEnd","properties":{"addressPrefix":"10.1.0.0/24"}}]}}"""), json(put.body()));
        assertEquals(json(put.body()), json(r.out()), "prints the resource as JSON");
    }

    @Test
    void subnetCreateAndPublicIpCreate() throws Exception {
        assertEquals(0, run("vnet", "subnet", "create", "-g", "TestRG1", "--vnet-name", "VNet1", "-n", "GatewaySubnet",
                "--address-prefixes", "10.1.255.0/27").exitCode());
        Request put = last("PUT");
        assertEquals(NET + "/virtualNetworks/VNet1/subnets/GatewaySubnet", put.path());
        assertEquals(json("{\"properties\":{\"addressPrefix\":\"10.1.255.0/27\"}}"), json(put.body()));

        assertEquals(0, run("public-ip", "create", "-g", "TestRG1", "-n", "VNet1GWpip", "-l", "westus").exitCode());
        put = last("PUT");
        assertEquals(NET + "/publicIPAddresses/VNet1GWpip", put.path());
        assertEquals(json("""
                {"location":"westus","sku":{"name":"Standard"},
                 "properties":{"publicIPAllocationMethod":"Static","publicIPAddressVersion":"IPv4"}}"""), json(put.body()));
    }

    @Test
    void gatewayCreateCarriesTheWholeP2sConfiguration(@TempDir Path dir) throws Exception {
        byte[] der = {0x30, 0x03, 0x02, 0x01, 0x05};
        String b64 = Base64.getEncoder().encodeToString(der);
        Path pem = dir.resolve("root.cer");
        Files.writeString(pem, "-----BEGIN CERTIFICATE-----\r\n" + b64 + "\r\n-----END CERTIFICATE-----\r\n");
        CliRun r = run("vnet-gateway", "create", "-g", "TestRG1", "-n", "VNet1GW", "--vnet", "VNet1",
                "--public-ip-addresses", "VNet1GWpip", "--gateway-type", "Vpn", "--vpn-type", "RouteBased", "--sku", "VpnGw2",
                "--vpn-gateway-generation", "Generation2", "--address-prefixes", "172.16.201.0/24",
                "--client-protocol", "IkeV2", "OpenVPN", "--vpn-auth-type", "Certificate",
                "--root-cert-name", "P2SRootCert", "--root-cert-data", pem.toString(), "--custom-routes", "10.9.0.0/16");
        assertEquals(0, r.exitCode(), r.err());
        Request put = last("PUT");
        assertEquals(NET + "/virtualNetworkGateways/VNet1GW", put.path());
        assertEquals(json("""
                {"location":"eastus","properties":{
                  "ipConfigurations":[{"name":"vnetGatewayConfig0","properties":{"privateIPAllocationMethod":"Dynamic",
                    "subnet":{"id":"%1$s/virtualNetworks/VNet1/subnets/GatewaySubnet"},
                    "publicIPAddress":{"id":"%1$s/publicIPAddresses/VNet1GWpip"}}}],
                  "gatewayType":"Vpn","vpnType":"RouteBased","vpnGatewayGeneration":"Generation2",
                  "sku":{"name":"VpnGw2","tier":"VpnGw2"},"activeActive":false,"enableBgp":false,
                  "vpnClientConfiguration":{"vpnClientAddressPool":{"addressPrefixes":["172.16.201.0/24"]},
                    "vpnClientProtocols":["IkeV2","OpenVPN"],"vpnAuthenticationTypes":["Certificate"],
                    "vpnClientRootCertificates":[{"name":"P2SRootCert","properties":{"publicCertData":"%2$s"}}]},
                  "customRoutes":{"addressPrefixes":["10.9.0.0/16"]}}}""".formatted(NET, b64)), json(put.body()));
    }

    @Test
    void rootCertDataCleaning(@TempDir Path dir) throws Exception {
        byte[] der = {0x30, 0x03, 0x02, 0x01, 0x05};
        Path derFile = dir.resolve("root-der.cer");
        Files.write(derFile, der);
        assertEquals(Base64.getEncoder().encodeToString(der), RootCertData.fromArgument(derFile.toString()));
        assertEquals("MIIBonelineData", RootCertData.fromArgument("MIIBonelineData"), "one-line data passes unchanged");
        assertEquals("MIIB with space", RootCertData.fromArgument("MIIB with space"), "not a file: the server judges it");
    }

    @Test
    void gatewayUpdateIsReadModifyWriteWithIfMatch() throws Exception {
        CliRun r = run("vnet-gateway", "update", "-g", "TestRG1", "-n", "VNet1GW", "--client-protocol", "OpenVPN", "SSTP",
                "--address-prefixes", "172.16.202.0/24");
        assertEquals(0, r.exitCode(), r.err());
        Request put = last("PUT");
        assertEquals("W/\"e1\"", put.header("If-Match"));
        JsonNode vcc = json(put.body()).at("/properties/vpnClientConfiguration");
        assertEquals(json("[\"OpenVPN\",\"SSTP\"]"), vcc.get("vpnClientProtocols"));
        assertEquals(json("[\"172.16.202.0/24\"]"), vcc.at("/vpnClientAddressPool/addressPrefixes"));
        assertEquals("P2SRootCert", vcc.at("/vpnClientRootCertificates/0/name").asText(), "untouched fields are kept");
    }

    @Test
    void rootAndRevokedCertChildResources() throws Exception {
        assertEquals(0, run("vnet-gateway", "root-cert", "create", "-g", "TestRG1", "--gateway-name", "VNet1GW",
                "-n", "ARMP2SRootCert.cer", "--public-cert-data", "MIIC5z").exitCode());
        Request put = last("PUT");
        assertEquals(NET + "/virtualNetworkGateways/VNet1GW/vpnClientRootCertificates/ARMP2SRootCert.cer", put.path());
        assertEquals(json("{\"name\":\"ARMP2SRootCert.cer\",\"properties\":{\"publicCertData\":\"MIIC5z\"}}"), json(put.body()));

        assertEquals(0, run("vnet-gateway", "revoked-cert", "create", "-g", "TestRG1", "--gateway-name", "VNet1GW",
                "-n", "lostlaptop", "--thumbprint", "51ab1edd8da4cfed77e20061c5eb6d2ef2f778c7").exitCode());
        put = last("PUT");
        assertEquals(NET + "/virtualNetworkGateways/VNet1GW/vpnClientRevokedCertificates/lostlaptop", put.path());
        assertEquals("51ab1edd8da4cfed77e20061c5eb6d2ef2f778c7", json(put.body()).at("/properties/thumbprint").asText());
        // As openssl prints it (issue 16): sent as 40 lower-case hex digits.
        assertEquals(0, run("vnet-gateway", "revoked-cert", "create", "-g", "TestRG1", "--gateway-name", "VNet1GW", "-n", "lost2",
                "--thumbprint", "SHA1 Fingerprint=51:AB:1E:DD:8D:A4:CF:ED:77:E2:00:61:C5:EB:6D:2E:F2:F7:78:C7").exitCode());
        assertEquals("51ab1edd8da4cfed77e20061c5eb6d2ef2f778c7", json(last("PUT").body()).at("/properties/thumbprint").asText());

        assertEquals(0, run("vnet-gateway", "revoked-cert", "delete", "-g", "TestRG1", "--gateway-name", "VNet1GW", "-n", "lostlaptop").exitCode());
        assertEquals(NET + "/virtualNetworkGateways/VNet1GW/vpnClientRevokedCertificates/lostlaptop", last("DELETE").path());

        CliRun list = run("vnet-gateway", "revoked-cert", "list", "-g", "TestRG1", "--gateway-name", "VNet1GW", "-o", "table");
        assertEquals(0, list.exitCode());
        assertEquals("Name  Thumbprint  ProvisioningState\n----  ----------  -----------------\nlost  51AB\n", list.out());
    }

    @Test
    void vpnClientGenerateDownloadsTheZip(@TempDir Path dir) throws Exception {
        Path zip = dir.resolve("VNet1GW.zip");
        CliRun r = run("vnet-gateway", "vpn-client", "generate", "-g", "TestRG1", "-n", "VNet1GW", "--output-file", zip.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(json("{\"processorArchitecture\":\"Amd64\",\"authenticationMethod\":\"EAPTLS\"}"), json(last("POST").body()));
        assertEquals(server.base() + "/download/pkg.zip", json(r.out()).asText());
        assertEquals("PK-zip", Files.readString(zip));
        assertFalse(r.err().contains("WARNING"), r.err());
    }

    @Test
    void vpnClientGenerateWarnsWhenTheServerDoesNotServeTheGateway() throws Exception {
        CliRun r = run("vnet-gateway", "vpn-client", "generate", "-g", "TestRG1", "-n", "OtherGW");
        assertEquals(0, r.exitCode(), r.err()); // the package is still made, as in Azure
        assertEquals(server.base() + "/download/pkg.zip", json(r.out()).asText());
        assertTrue(r.err().contains("WARNING: Gateway OtherGW is not served by this p2sgw server"), r.err());
        assertFalse(r.out().contains("WARNING"), "the warning goes to stderr, the output stays JSON: " + r.out());
    }

    @Test
    void showHealthAndDisconnect() throws Exception {
        CliRun h = run("vnet-gateway", "vpn-client", "show-health", "-g", "TestRG1", "-n", "VNet1GW");
        assertEquals(0, h.exitCode(), h.err());
        assertEquals("OpenVPN_1", json(h.out()).at("/0/vpnConnectionId").asText());
        CliRun d = run("vnet-gateway", "vpn-client", "disconnect", "-g", "TestRG1", "-n", "VNet1GW", "--vpn-connection-ids", "OpenVPN_1,IKEv2_2");
        assertEquals(0, d.exitCode(), d.err());
        assertEquals(json("{\"vpnConnectionIds\":[\"OpenVPN_1\",\"IKEv2_2\"]}"), json(last("POST").body()));
    }

    @Test
    void apiErrorIsPrintedAndExitIsNonZero() {
        CliRun r = run("vnet", "show", "-g", "TestRG1", "-n", "Nope");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("(ResourceNotFound) The Resource"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void listUsesTheResourceGroupOrTheSubscription() {
        run("vnet", "list", "-g", "TestRG1");
        run("public-ip", "list");
        List<String> paths = server.requests().stream().map(Request::path).toList();
        assertEquals(List.of(NET + "/virtualNetworks", SUB + "/providers/Microsoft.Network/publicIPAddresses"), paths);
    }

    @Test
    void missingEndpointIsAUsageError() {
        io.p2sgw.cli.support.ArmCommand.environmentForTests(java.util.Map.of("P2SGW_CONFIG", "/nonexistent/p2sgw.json"));
        try {
            CliRun r = CliRun.of(new NetworkCommand(), "vnet", "list");
            assertEquals(2, r.exitCode());
            assertTrue(r.err().contains("no API endpoint"), r.err());
        } finally {
            io.p2sgw.cli.support.ArmCommand.environmentForTests(System.getenv());
        }
        assertTrue(Stream.of(server.requests()).allMatch(List::isEmpty));
    }
}
