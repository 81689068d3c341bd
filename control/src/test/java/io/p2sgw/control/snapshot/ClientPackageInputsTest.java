package io.p2sgw.control.snapshot;

import static io.p2sgw.control.testing.TestData.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.control.clientpackage.PackageFile;
import io.p2sgw.control.clientpackage.ServedEndpoints;
import io.p2sgw.control.clientpackage.ZipClientPackageBuilder;
import io.p2sgw.control.model.ResourceRef;
import io.p2sgw.control.model.ResourceType;
import io.p2sgw.control.service.GatewayState;
import io.p2sgw.control.service.NetworkService;
import io.p2sgw.control.service.Preconditions;
import io.p2sgw.control.store.Database;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every profile of the package names the server and the ports this host really serves, not the defaults: a
 * server started with {@code --tcp-port 18443 --openvpn-udp-port 18194} gave profiles with 443 and 1194, so no
 * client could connect (issue 16).
 */
class ClientPackageInputsTest {
    static final ResourceRef VNET = new ResourceRef(SUB, RG, ResourceType.VIRTUAL_NETWORK, "VNet1");
    static final ResourceRef GW = VNET.sibling(ResourceType.VIRTUAL_NETWORK_GATEWAY, "VNet1GW");
    static final ServedEndpoints SERVED = new ServedEndpoints("vpn.example.test", "203.0.113.9", 18443, 18194);

    @TempDir
    Path dir;

    @Test
    void openVpnAndIkev2ProfilesNameTheServedNameAndPorts() {
        Map<String, String> files = packageFiles("'IkeV2','OpenVPN'");

        for (String tcp : new String[] {"OpenVPN/vpnconfig.ovpn", "OpenVPN/vpnconfig-tlscrypt.ovpn"}) {
            String ovpn = files.get(tcp);
            assertTrue(ovpn.contains("\nremote vpn.example.test 18443\n"), tcp + ":\n" + ovpn);
            assertTrue(ovpn.contains("\nremote 203.0.113.9 18443\n"), tcp);
            assertTrue(ovpn.contains("\nverify-x509-name vpn.example.test name\n"), tcp);
            assertFalse(ovpn.contains(" 443\n"), tcp);
        }
        String udp = files.get("OpenVPN/vpnconfig-udp.ovpn");
        assertTrue(udp.contains("\nremote vpn.example.test 18194\n"), udp);
        assertFalse(udp.contains(" 1194\n"), udp);

        String swanctl = files.get("strongSwan/swanctl.conf");
        assertTrue(swanctl.contains("remote_addrs = vpn.example.test\n"), swanctl);
        assertTrue(swanctl.contains("id = vpn.example.test\n"), swanctl);
        String apple = files.get("Apple/VNet1GW.mobileconfig");
        assertTrue(apple.contains("<key>RemoteAddress</key>\n\t\t\t\t<string>vpn.example.test</string>"), apple);
        assertTrue(apple.contains("<key>RemoteIdentifier</key>\n\t\t\t\t<string>vpn.example.test</string>"), apple);
        String generic = files.get("Generic/VpnSettings.xml");
        assertTrue(generic.contains("<VpnServer>vpn.example.test</VpnServer>"), generic);
        assertFalse(generic.contains("SstpPort"), "no SSTP, no SSTP port: " + generic);
        String windows = files.get("Windows/Add-P2sVpn.ps1");
        assertTrue(windows.contains("$ServerAddress = 'vpn.example.test'\r\n"), windows);
        assertTrue(files.get("AzureVPN/azurevpnconfig.xml").contains("<fqdn>vpn.example.test</fqdn>"));

        String readme = files.get("README.txt");
        assertTrue(readme.contains("Server:          vpn.example.test (203.0.113.9)\n"), readme);
        assertTrue(readme.contains("Ports:           TCP 18443 (OpenVPN), UDP 18194 (OpenVPN), UDP 500 and 4500 (IKEv2)\n"), readme);
        assertTrue(readme.contains("TCP port 18443, tls-auth"), readme);
        assertTrue(readme.contains("UDP port 18194"), readme);
        // The Azure VPN Client profile has no port (azure-p2s.md §3.5): the README says it cannot reach TCP 18443.
        assertTrue(readme.contains("NOT USABLE WITH THIS SERVER: it serves TCP port 18443"), readme);
        assertFalse(files.get("AzureVPN/azurevpnconfig.xml").contains("18443"), "no invented port element");
    }

    @Test
    void sstpProfilesNameTheServedTcpPort() {
        Map<String, String> files = packageFiles("'IkeV2','SSTP'");

        String windows = files.get("Windows/Add-P2sVpn.ps1");
        assertTrue(windows.contains("if ($TunnelType -eq 'SSTP') { $ServerAddress = 'vpn.example.test:18443' }\r\n"), windows);
        assertTrue(files.get("Generic/VpnSettings.xml").contains("<SstpPort>18443</SstpPort>"), files.get("Generic/VpnSettings.xml"));
        assertTrue(files.get("README.txt").contains("Ports:           TCP 18443 (SSTP), UDP 500 and 4500 (IKEv2)\n"),
                files.get("README.txt"));
    }

    @Test
    void defaultPortsKeepAzuresShape() {
        ServedEndpoints defaults = ServedEndpoints.withDefaultPorts("vpn.example.test", "vpn.example.test");
        Map<String, String> files = packageFiles("'IkeV2','SSTP'", defaults);
        assertTrue(files.get("Windows/Add-P2sVpn.ps1").contains("$ServerAddress = 'vpn.example.test'\r\n"));
        assertFalse(files.get("Windows/Add-P2sVpn.ps1").contains(":443"));
        assertFalse(files.get("Generic/VpnSettings.xml").contains("SstpPort"));
        Map<String, String> openVpn = packageFiles("'IkeV2','OpenVPN'", defaults);
        assertFalse(openVpn.get("README.txt").contains("NOT USABLE"), "on TCP 443 the Azure VPN Client profile works");
        assertTrue(openVpn.containsKey("AzureVPN/azurevpnconfig.xml"));
    }

    private Map<String, String> packageFiles(String protocols) {
        return packageFiles(protocols, SERVED);
    }

    private Map<String, String> packageFiles(String protocols, ServedEndpoints served) {
        NetworkService s = new NetworkService(Database.open(Database.sqliteUrl(dir)));
        s.putResourceGroup(SUB, RG, json(rgBody()));
        s.putVirtualNetwork(VNET, json(vnetBody()), Preconditions.NONE);
        s.putPublicIp(VNET.sibling(ResourceType.PUBLIC_IP_ADDRESS, "VNet1GWpip"), json(pipBody()), Preconditions.NONE);
        s.putGateway(GW, json(gatewayBody("VpnGw2", "Generation2",
                seedP2s().replace("'vpnClientProtocols':['IkeV2','OpenVPN']", "'vpnClientProtocols':[" + protocols + "]"))),
                Preconditions.NONE);
        GatewayState state = s.gatewayState(GW).orElseThrow();
        Map<String, String> files = new LinkedHashMap<>();
        for (PackageFile f : new ZipClientPackageBuilder().files(ClientPackageInputs.from(state, served, rootCertificate()))) {
            files.put(f.path(), new String(f.content(), StandardCharsets.UTF_8));
        }
        return files;
    }
}
