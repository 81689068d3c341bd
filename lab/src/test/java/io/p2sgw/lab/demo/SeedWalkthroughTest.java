package io.p2sgw.lab.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.p2sgw.cli.arm.ArmClient;
import io.p2sgw.cli.arm.ClientSettings;
import io.p2sgw.lab.LabException;
import io.p2sgw.pki.CertificateIssuer;
import io.p2sgw.pki.KeyAndChain;
import io.p2sgw.pki.KeyType;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeedWalkthroughTest {
    static final String TEMPLATE = """
            client
            remote VNet1GW.p2sgw.example 443
            dev tun
            proto tcp
            <cert>
            $CLIENTCERTIFICATE
            </cert>
            <key>
            $PRIVATEKEY
            </key>
            """;

    static byte[] zip(String name, String content) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            z.putNextEntry(new ZipEntry("Generic/VpnSettings.xml"));
            z.write("<VpnProfile/>".getBytes(StandardCharsets.UTF_8));
            z.putNextEntry(new ZipEntry(name));
            z.write(content.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    @Test
    void findsTheOpenVpnProfileInThePackage() throws Exception {
        assertEquals(TEMPLATE, SeedWalkthrough.profileFromZip(zip("OpenVPN/vpnconfig.ovpn", TEMPLATE)));
        LabException e = assertThrows(LabException.class, () -> SeedWalkthrough.profileFromZip(zip("IKEv2/x", "y")));
        assertTrue(e.getMessage().contains("OpenVPN/vpnconfig.ovpn"));
    }

    @Test
    void fillsPlaceholdersAndPointsAHostNameRemoteAtThePublicAddress(@TempDir Path dir) throws Exception {
        CertificateIssuer issuer = CertificateIssuer.withSystemClock();
        KeyAndChain root = issuer.createRoot("P2SRootCert", KeyType.EC256, CertificateIssuer.DEFAULT_ROOT_VALIDITY);
        KeyAndChain client = issuer.createClient(root, "P2SChildCert", KeyType.EC256, CertificateIssuer.DEFAULT_CLIENT_VALIDITY);
        List<String> steps = new ArrayList<>();
        SeedWalkthrough w = new SeedWalkthrough(null, steps::add);
        Path out = w.fillProfile(TEMPLATE, client, dir.resolve("vpnconfig.ovpn"));
        String text = Files.readString(out);
        assertFalse(text.contains("$CLIENTCERTIFICATE"));
        assertFalse(text.contains("$PRIVATEKEY"));
        assertTrue(text.contains("-----BEGIN CERTIFICATE-----"));
        assertTrue(text.contains("PRIVATE KEY-----"));
        assertTrue(text.contains("\nremote 198.51.100.4 443\n"), text);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
        assertTrue(steps.stream().anyMatch(s -> s.contains("no DNS")));
    }

    /**
     * The demo's configuration step as an operator does it: PUT the gateway with OpenVPN, IkeV2 and SSTP, then GET it
     * back and check all three are enabled. A fake API stores the gateway as PUT; a server that drops a type is noticed.
     */
    @Test
    void configuresAllThreeTunnelTypesAndChecksThemThroughTheApi() throws Exception {
        ObjectMapper json = new ObjectMapper();
        AtomicReference<ObjectNode> stored = new AtomicReference<>(json.createObjectNode());
        AtomicReference<String> dropType = new AtomicReference<>("");
        stored.get().putObject("properties").put("provisioningState", "Succeeded");
        HttpServer api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        api.createContext("/", ex -> {
            if (ex.getRequestMethod().equals("PUT")) {
                ObjectNode body = (ObjectNode) json.readTree(ex.getRequestBody());
                var types = (com.fasterxml.jackson.databind.node.ArrayNode) body.path("properties").path("vpnClientConfiguration")
                        .path("vpnClientProtocols");
                for (int i = types.size() - 1; i >= 0; i--) {
                    if (types.get(i).asText().equals(dropType.get())) {
                        types.remove(i);
                    }
                }
                stored.set(body);
            }
            byte[] reply = json.writeValueAsBytes(stored.get());
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, reply.length);
            ex.getResponseBody().write(reply);
            ex.close();
        });
        api.start();
        try {
            ArmClient arm = new ArmClient(new ClientSettings(URI.create("http://127.0.0.1:" + api.getAddress().getPort()),
                    "test-token", Optional.empty(), ClientSettings.DEFAULT_SUBSCRIPTION), new PrintWriter(Writer.nullWriter()));
            List<String> steps = new ArrayList<>();
            SeedWalkthrough w = new SeedWalkthrough(arm, steps::add);
            KeyAndChain root = CertificateIssuer.withSystemClock().createRoot("P2SRootCert", KeyType.EC256,
                    CertificateIssuer.DEFAULT_ROOT_VALIDITY);

            w.configurePointToSite(root.certificate(), SeedWalkthrough.ALL_TUNNEL_TYPES);
            JsonNode vcc = stored.get().path("properties").path("vpnClientConfiguration");
            assertEquals(List.of("OpenVPN", "IkeV2", "SSTP"), SessionChecks.tunnelTypes(stored.get()));
            assertEquals("172.16.201.0/24", vcc.path("vpnClientAddressPool").path("addressPrefixes").get(0).asText());
            assertEquals(List.of(), w.missingTunnelTypes(SeedWalkthrough.ALL_TUNNEL_TYPES));
            assertTrue(steps.contains("GET VNet1GW: vpnClientProtocols [OpenVPN, IkeV2, SSTP]"), steps.toString());

            dropType.set("SSTP");
            w.configurePointToSite(root.certificate(), SeedWalkthrough.ALL_TUNNEL_TYPES);
            assertEquals(List.of("SSTP"), w.missingTunnelTypes(SeedWalkthrough.ALL_TUNNEL_TYPES));
        } finally {
            api.stop(0);
        }
    }
}
