package io.p2sgw.apitests;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server started with {@code --server-name vpn.example.test --tcp-port 18443 --openvpn-udp-port 18194} hands out
 * a package whose profiles name that server and those ports: before, they said 443 and 1194 whatever the server
 * served (issue 16). Checks the wiring from the server's settings through the API to the package.
 */
class ServedPortsPackageTest {
    private static final String V = "?api-version=2024-05-01";

    @TempDir Path dir;

    @Test
    void packageNamesTheServedNameAndPorts() throws Exception {
        try (RunningServer server = RunningServer.start(dir.resolve("data"), Duration.ofMinutes(5),
                b -> b.serverName("vpn.example.test").tcpPort(18443).openVpnUdpPort(18194))) {
            Walkthrough.viaArmClient(RestartTest.client(server, server.adminToken()), Seed.Certs.create());
            Curl curl = new Curl(server.caFile(), dir, server.adminToken());
            Curl.Reply gen = curl.send("POST", server.baseUri() + Seed.GW_PATH + "/generatevpnclientpackage" + V,
                    Optional.of("{\"authenticationMethod\":\"EAPTLS\"}"), List.of()).expect(202);
            String url = curl.awaitLocation(gen.header("Location").orElseThrow()).expect(200).json().asText();
            Map<String, String> files = unzip(curl.get(url).expect(200).body());

            String tcp = files.get("OpenVPN/vpnconfig.ovpn");
            assertTrue(tcp.contains("\nremote vpn.example.test 18443\n"), tcp);
            assertFalse(tcp.contains(" 443\n"), tcp);
            String udp = files.get("OpenVPN/vpnconfig-udp.ovpn");
            assertTrue(udp.contains("\nremote vpn.example.test 18194\n"), udp);
            assertTrue(files.get("strongSwan/swanctl.conf").contains("remote_addrs = vpn.example.test\n"));
            assertTrue(files.get("README.txt").contains("TCP 18443 (OpenVPN), UDP 18194 (OpenVPN)"), files.get("README.txt"));
        }
    }

    private static Map<String, String> unzip(byte[] zip) throws Exception {
        Map<String, String> files = new HashMap<>();
        try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
                files.put(e.getName(), new String(z.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return files;
    }
}
