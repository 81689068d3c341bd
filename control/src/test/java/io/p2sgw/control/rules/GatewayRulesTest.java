package io.p2sgw.control.rules;

import static io.p2sgw.control.testing.TestData.*;
import static org.junit.jupiter.api.Assertions.*;

import io.p2sgw.control.ArmException;
import io.p2sgw.control.model.GatewaySku;
import io.p2sgw.control.model.Ipv4Cidr;
import io.p2sgw.control.model.Subnet;
import io.p2sgw.control.model.VirtualNetwork;
import io.p2sgw.control.model.VirtualNetworkGateway;
import io.p2sgw.dataplane.api.ConnectionLimits;
import io.p2sgw.dataplane.api.TunnelType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Each rule of azure-p2s.md §2 with its error code and message. */
class GatewayRulesTest {
    static final String GW_ID = id("virtualNetworkGateways/VNet1GW");

    static VirtualNetworkGateway read(String body) {
        return GatewayRules.read("VNet1GW", GW_ID, json(body));
    }

    static ArmException fails(Executable e) {
        return assertThrows(ArmException.class, e);
    }

    static String p2s(String members) {
        return gatewayBody("VpnGw2", "Generation2", members);
    }

    @Test
    void seedGatewayIsValidAndNormalised() {
        VirtualNetworkGateway gw = read(seedGateway());
        assertEquals(GatewaySku.VPNGW2, gw.sku());
        assertTrue(gw.supportsPointToSite());
        var v = gw.vpnClientConfiguration().orElseThrow();
        assertEquals(List.of(TunnelType.IKEV2, TunnelType.OPENVPN), v.protocols());
        assertEquals(REVOKED, v.revokedCertificates().getFirst().thumbprint());
        assertEquals(new ConnectionLimits(128, 500), gw.sku().limits());
    }

    @Test
    void gatewayNameRule() {
        ArmException e = fails(() -> GatewayRules.read("-bad", GW_ID, json(seedGateway())));
        assertEquals(400, e.status());
        assertEquals("InvalidResourceName", e.code());
        assertTrue(e.getMessage().startsWith("Resource name -bad is invalid. The name can be up to 80 characters long."));
        assertTrue(NameRules.isValid("VNet1GW_", 1, 80));
        assertFalse(NameRules.isValid("a".repeat(81), 1, 80));
        assertFalse(NameRules.isValid("GW.", 1, 80));
    }

    @Test
    void poolMustBePrivateAndLargeEnough() {
        ArmException pub = fails(() -> read(p2s("'vpnClientAddressPool':{'addressPrefixes':['8.8.8.0/24']}")));
        assertEquals("VpnClientAddressPoolNotPrivate", pub.code());
        assertTrue(pub.getMessage().contains("8.8.8.0/24"));
        ArmException small = fails(() -> read(p2s("'vpnClientAddressPool':{'addressPrefixes':['172.16.201.0/30']}")));
        assertEquals("VpnClientAddressPoolTooSmall", small.code());
        assertTrue(small.getMessage().contains("minimum is /29"));
        read(p2s("'vpnClientAddressPool':{'addressPrefixes':['172.16.201.0/29']}"));
        ArmException none = fails(() -> read(p2s("'vpnClientProtocols':['IkeV2']")));
        assertEquals("VpnClientAddressPoolRequired", none.code());
        ArmException bad = fails(() -> read(p2s("'vpnClientAddressPool':{'addressPrefixes':['172.16.201.1/24']}")));
        assertEquals("InvalidAddressPrefixFormat", bad.code());
    }

    @Test
    void activeActivePoolIsAtLeastSlash28AndNeedsThreeIpConfigurations() {
        String ipc = "{'name':'%s','properties':{'subnet':{'id':'" + id("virtualNetworks/VNet1/subnets/GatewaySubnet")
                + "'},'publicIPAddress':{'id':'" + id("publicIPAddresses/%s") + "'}}}";
        String three = String.format(ipc, "a", "p1") + "," + String.format(ipc, "b", "p2") + "," + String.format(ipc, "c", "p3");
        String body = "{'location':'eastus','properties':{'activeActive':true,'sku':{'name':'VpnGw2AZ'},'ipConfigurations':["
                + three + "],'vpnClientConfiguration':{'vpnClientAddressPool':{'addressPrefixes':['172.16.201.0/29']}}}}";
        ArmException e = fails(() -> read(body));
        assertEquals("VpnClientAddressPoolTooSmall", e.code());
        assertTrue(e.getMessage().contains("/28 for an active-active gateway") || e.getMessage().contains("minimum is /28"));
        assertTrue(read(body.replace("/29", "/28")).activeActive());
        ArmException count = fails(() -> read(body.replace(three, String.format(ipc, "a", "p1"))));
        assertEquals("InvalidNumberOfIpConfigurations", count.code());
    }

    @Test
    void basicSkuIsSstpOnly() {
        ArmException e = fails(() -> read(gatewayBody("Basic", "Generation1",
                "'vpnClientAddressPool':{'addressPrefixes':['172.16.201.0/24']},'vpnClientProtocols':['IkeV2']")));
        assertEquals("VpnClientProtocolNotSupportedForBasicSku", e.code());
        assertEquals("Failed to save virtual network gateway VNet1GW. The Basic SKU supports only the SSTP tunnel type;"
                + " IkeV2 and OpenVPN need VpnGw1 or higher.", e.getMessage());
        var ok = read(gatewayBody("Basic", "Generation1", "'vpnClientAddressPool':{'addressPrefixes':['172.16.201.0/24']}"));
        assertEquals(List.of(TunnelType.SSTP), ok.vpnClientConfiguration().orElseThrow().protocols());
    }

    @Test
    void sstpWithOpenVpnIsAllowedUnlikeAzure() {
        var gw = read(p2s("'vpnClientAddressPool':{'addressPrefixes':['172.16.201.0/24']},'vpnClientProtocols':['sstp','openvpn']"));
        assertEquals(List.of(TunnelType.SSTP, TunnelType.OPENVPN), gw.vpnClientConfiguration().orElseThrow().protocols());
        ArmException e = fails(() -> read(p2s("'vpnClientAddressPool':{'addressPrefixes':['172.16.201.0/24']},'vpnClientProtocols':['PPTP']")));
        assertEquals("InvalidVpnClientProtocol", e.code());
    }

    @Test
    void atMostTwentyRoots() {
        StringBuilder roots = new StringBuilder();
        for (int i = 0; i < 21; i++) {
            roots.append(i == 0 ? "" : ",").append("{'name':'root").append(i).append("','properties':{'publicCertData':'")
                    .append(publicCertData()).append("'}}");
        }
        ArmException e = fails(() -> read(p2s("'vpnClientAddressPool':{'addressPrefixes':['172.16.201.0/24']},"
                + "'vpnClientRootCertificates':[" + roots + "]")));
        assertEquals("VpnClientRootCertificatesLimitExceeded", e.code());
        assertTrue(e.getMessage().contains("at most 20"));
    }

    @Test
    void publicCertDataMustBeOneLineOfBase64Der() {
        String data = publicCertData();
        String withBreak = data.substring(0, 64) + "\\n" + data.substring(64);
        String pem = "-----BEGIN CERTIFICATE-----" + data + "-----END CERTIFICATE-----";
        // Each bad form with the problem the message names, so the user knows what to fix.
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put(withBreak, "line break at character 65");
        cases.put(pem, "PEM armour");
        cases.put(data.substring(0, 64) + " " + data.substring(64), "whitespace at character 65");
        cases.put("bm90IGEgY2VydA==", "does not decode to exactly one DER X.509 certificate");
        cases.put(data + "AAAA", data.endsWith("=") ? "not complete Base-64" : "does not decode to exactly one DER X.509 certificate");
        cases.put(data.substring(1), "not complete Base-64");
        cases.put("MIIé", "is not Base-64");
        cases.forEach((bad, problem) -> {
            ArmException e = fails(() -> read(p2s("'vpnClientAddressPool':{'addressPrefixes':['172.16.201.0/24']},"
                    + "'vpnClientRootCertificates':[{'name':'P2SRootCert','properties':{'publicCertData':'" + bad + "'}}]")));
            assertEquals("InvalidVpnClientRootCertificateData", e.code());
            assertTrue(e.getMessage().startsWith("Failed to save virtual network gateway VNet1GW. Data for certificate "
                    + GW_ID + "/vpnClientRootCertificates/P2SRootCert is invalid"), e.getMessage());
            assertTrue(e.getMessage().contains(problem), problem + " in: " + e.getMessage());
        });
    }

    @Test
    void certificateNameWithASpaceIsInvalid() {
        ArmException e = fails(() -> read(p2s("'vpnClientAddressPool':{'addressPrefixes':['172.16.201.0/24']},"
                + "'vpnClientRootCertificates':[{'name':'my root','properties':{'publicCertData':'" + publicCertData() + "'}}]")));
        assertEquals("InvalidResourceName", e.code());
        assertEquals("Failed to save virtual network gateway VNet1GW. Resource name my root is invalid.", e.getMessage());
    }

    @Test
    void thumbprintsAreFortyHexDigitsNormalised() {
        assertEquals(REVOKED, io.p2sgw.pki.Certificates.normalizeThumbprint("51 AB 1E DD 8D A4 CF ED 77 E2 00 61 C5 EB 6D 2E F2 F7 78 C7").orElseThrow());
        assertEquals(REVOKED, io.p2sgw.pki.Certificates.normalizeThumbprint("\u200e51ab1edd8da4cfed77e20061c5eb6d2ef2f778c7").orElseThrow());
        ArmException e = fails(() -> read(p2s("'vpnClientAddressPool':{'addressPrefixes':['172.16.201.0/24']},"
                + "'vpnClientRevokedCertificates':[{'name':'lost','properties':{'thumbprint':'51ab1edd'}}]")));
        assertEquals("InvalidVpnClientRevokedCertificateThumbprint", e.code());
        assertTrue(e.getMessage().contains("40 hexadecimal digits"));
    }

    @Test
    void thumbprintsAsToolsPrintThemAreStoredAsFortyLowerCaseDigits() {
        // openssl x509 -noout -fingerprint -sha1, and Windows' dialog with its invisible mark (issue 16).
        for (String pasted : new String[] {"SHA1 Fingerprint=51:AB:1E:DD:8D:A4:CF:ED:77:E2:00:61:C5:EB:6D:2E:F2:F7:78:C7",
            "sha1 Fingerprint=51:ab:1e:dd:8d:a4:cf:ed:77:e2:00:61:c5:eb:6d:2e:f2:f7:78:c7", "51:AB:1E:DD:8D:A4:CF:ED:77:E2:00:61:C5:EB:6D:2E:F2:F7:78:C7",
            "\u200e51 ab 1e dd 8d a4 cf ed 77 e2 00 61 c5 eb 6d 2e f2 f7 78 c7"}) {
            var v = read(p2s("'vpnClientAddressPool':{'addressPrefixes':['172.16.201.0/24']},"
                    + "'vpnClientRevokedCertificates':[{'name':'lost','properties':{'thumbprint':'" + pasted + "'}}]"));
            assertEquals(REVOKED, v.vpnClientConfiguration().orElseThrow().revokedCertificates().getFirst().thumbprint(), pasted);
        }
    }

    @Test
    void aSha256FingerprintGetsAHintThatSha1IsNeeded() {
        String sha256 = "SHA256 Fingerprint=" + "3A:".repeat(31) + "3A";
        for (String given : new String[] {sha256, "3a".repeat(32)}) {
            ArmException e = fails(() -> read(p2s("'vpnClientAddressPool':{'addressPrefixes':['172.16.201.0/24']},"
                    + "'vpnClientRevokedCertificates':[{'name':'lost','properties':{'thumbprint':'" + given + "'}}]")));
            assertEquals(400, e.status());
            assertEquals("InvalidVpnClientRevokedCertificateThumbprint", e.code());
            assertTrue(e.getMessage().contains("looks like a SHA-256 fingerprint") && e.getMessage().contains("-fingerprint -sha1"),
                    e.getMessage());
        }
    }

    @Test
    void pointToSiteNeedsVpnAndRouteBased() {
        ArmException e = fails(() -> read(seedGateway().replace("RouteBased", "PolicyBased")));
        assertEquals("PointToSiteNotSupportedForGatewayType", e.code());
        assertTrue(e.getMessage().contains("needs gatewayType Vpn and vpnType RouteBased"));
        ArmException er = fails(() -> read(seedGateway().replace("'gatewayType':'Vpn'", "'gatewayType':'ExpressRoute'")));
        assertEquals("PointToSiteNotSupportedForGatewayType", er.code());
        assertFalse(read(gatewayBody("VpnGw2", "Generation2", null).replace("RouteBased", "PolicyBased")).supportsPointToSite());
    }

    @Test
    void generationAndSkuMustMatch() {
        ArmException e = fails(() -> read(gatewayBody("VpnGw1", "Generation2", seedP2s())));
        assertEquals("InvalidGatewaySkuForGeneration", e.code());
        assertTrue(e.getMessage().startsWith("SKU VpnGw1 is not available in Generation2."));
        ArmException e5 = fails(() -> read(gatewayBody("VpnGw5AZ", "Generation1", seedP2s())));
        assertEquals("InvalidGatewaySkuForGeneration", e5.code());
        ArmException sku = fails(() -> read(gatewayBody("VpnGw9", "Generation2", seedP2s())));
        assertEquals("InvalidGatewaySku", sku.code());
        assertEquals(GatewaySku.VPNGW3, read(gatewayBody("VpnGw3", "Generation1", seedP2s())).sku());
    }

    @Test
    void wrongJsonTypesAreInvalidRequestFormat() {
        ArmException e = fails(() -> read(p2s("'vpnClientAddressPool':{'addressPrefixes':'172.16.201.0/24'}")));
        assertEquals("InvalidRequestFormat", e.code());
        assertEquals("Cannot parse the request. Property 'properties.vpnClientConfiguration.vpnClientAddressPool.addressPrefixes'"
                + " must be an array, not string.", e.getMessage());
        ArmException b = fails(() -> read(seedGateway().replace("'activeActive':false", "'activeActive':'no'")));
        assertEquals("InvalidRequestFormat", b.code());
    }

    @Test
    void poolMustNotOverlapTheVnetWithAzuresExactText() {
        VirtualNetworkGateway gw = read(p2s("'vpnClientAddressPool':{'addressPrefixes':['10.1.1.0/26']}"));
        VirtualNetwork vnet = new VirtualNetwork("VNet1", List.of(Ipv4Cidr.parse("10.1.0.0/16", "t")), List.of(),
                List.of(new Subnet("GatewaySubnet", Ipv4Cidr.parse("10.1.255.0/27", "t"))));
        ArmException e = fails(() -> GatewayRules.checkPoolAgainstVnet(gw, vnet));
        assertEquals("The virtual network gateway's VPN client address pool overlaps with the virtual network's address space."
                + " The overlapping address space prefixes are 10.1.0.0/16 and 10.1.1.0/26.", e.getMessage());
    }

    @Test
    void gatewaySubnetRules() {
        ArmException small = fails(() -> VirtualNetworkRules.read("VNet1", json(vnetBody().replace("10.1.255.0/27", "10.1.255.0/30"))));
        assertEquals("GatewaySubnetTooSmall", small.code());
        assertTrue(small.getMessage().contains("must be /29 or larger"));
        ArmException outside = fails(() -> VirtualNetworkRules.read("VNet1", json(vnetBody().replace("10.1.255.0/27", "10.2.255.0/27"))));
        assertEquals("NetcfgSubnetRangeOutsideVnet", outside.code());
        ArmException overlap = fails(() -> VirtualNetworkRules.read("VNet1", json(vnetBody().replace("10.1.255.0/27", "10.1.0.0/27"))));
        assertEquals("NetcfgSubnetRangesOverlap", overlap.code());
        ArmException name = fails(() -> VirtualNetworkRules.read("V", json(vnetBody())));
        assertEquals("InvalidResourceName", name.code());
        assertTrue(name.getMessage().contains("between 2 and 64 characters"));
    }
}
