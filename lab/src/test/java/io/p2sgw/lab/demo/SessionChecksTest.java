package io.p2sgw.lab.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SessionChecksTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode session(String id, String user, String address) {
        return JSON.createObjectNode().put("vpnConnectionId", id).put("vpnUserName", user).put("privateIpAddress", address);
    }

    static final List<JsonNode> HEALTH = List.of(
            session("OpenVPN_a2f299bd-7ba9-43c6-8964-422fca80030e", "P2SChildCert", "172.16.201.2"),
            session("IKEv2_47005041-c121-472a-9bee-a5704b5803f4", "P2SChildCert-IKEv2", "172.16.201.3"),
            session("SSTP_d159cd41-3596-4a35-a5f4-20799f41ce5a", "P2SChildCert-SSTP", "172.16.201.129"));

    static Map<String, String> map(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void theTunnelTypeIsTheConnectionIdsPrefix() {
        assertEquals(List.of("OpenVPN", "IKEv2", "SSTP"), HEALTH.stream().map(SessionChecks::tunnelType).toList());
        assertEquals("?", SessionChecks.tunnelType(session("no-underscore", "x", "172.16.201.9")));
        assertEquals("?", SessionChecks.tunnelType(JSON.createObjectNode()));
    }

    @Test
    void everyClientNeedsItsOwnSessionOfItsTunnelTypeWithItsAddress() {
        Map<String, String> types = map("P2SChildCert", "OpenVPN", "P2SChildCert-IKEv2", "IKEv2", "P2SChildCert-SSTP", "SSTP");
        Map<String, String> addresses = map("P2SChildCert", "172.16.201.2", "P2SChildCert-IKEv2", "172.16.201.3",
                "P2SChildCert-SSTP", "172.16.201.129");
        assertEquals(List.of(), SessionChecks.sessionProblems(HEALTH, types, addresses));
        assertEquals(List.of("no session for P2SChildCert-SSTP (SSTP)"),
                SessionChecks.sessionProblems(HEALTH.subList(0, 2), types, addresses));
        assertEquals(List.of("P2SChildCert-IKEv2's session is IKEv2, not SSTP"),
                SessionChecks.sessionProblems(HEALTH, map("P2SChildCert-IKEv2", "SSTP"), addresses));
        assertEquals(List.of("P2SChildCert's session has 172.16.201.2, the client 172.16.201.5"),
                SessionChecks.sessionProblems(HEALTH, map("P2SChildCert", "OpenVPN"), map("P2SChildCert", "172.16.201.5")));
    }

    /** What the first run of the three-client demo showed: OpenVPN and IKEv2 both got 172.16.201.2. */
    @Test
    void addressesMustBeDistinctAndFromThePool() {
        assertEquals(List.of(), SessionChecks.addressProblems(map("OpenVPN", "172.16.201.2", "IKEv2", "172.16.201.3",
                "SSTP", "172.16.201.129")));
        assertEquals(List.of("IKEv2's address 172.16.201.2 is another client's too"),
                SessionChecks.addressProblems(map("OpenVPN", "172.16.201.2", "IKEv2", "172.16.201.2")));
        assertEquals(List.of("SSTP's address unknown is not in the pool"), SessionChecks.addressProblems(map("SSTP", "unknown")));
        assertTrue(SessionChecks.inPool("172.16.201.254"));
        assertFalse(SessionChecks.inPool("172.16.201.0"));
        assertFalse(SessionChecks.inPool("172.16.201.255"));
        assertFalse(SessionChecks.inPool("172.16.2011.5"));
        assertFalse(SessionChecks.inPool("10.1.0.4"));
    }

    @Test
    void theGatewaysTunnelTypesAreComparedAsTheApiSpellsThem() throws Exception {
        JsonNode gw = JSON.readTree("""
                {"properties":{"vpnClientConfiguration":{"vpnClientProtocols":["OpenVPN","IKEv2"]}}}""");
        assertEquals(List.of("OpenVPN", "IKEv2"), SessionChecks.tunnelTypes(gw));
        assertEquals(List.of("SSTP"), SessionChecks.missingTunnelTypes(gw, SeedWalkthrough.ALL_TUNNEL_TYPES));
        assertEquals(SeedWalkthrough.ALL_TUNNEL_TYPES,
                SessionChecks.missingTunnelTypes(JSON.createObjectNode(), SeedWalkthrough.ALL_TUNNEL_TYPES));
    }

    @Test
    void theRefusalReasonIsTheLastRevokedLineNamingTheThumbprint() {
        String log = """
                2026-12-04T14:20:28Z [WARN] GatewayDataPlane - closing OpenVPN_1: CN=P2SChildCert thumbprint abc: revoked
                2026-12-04T14:20:30Z [WARN] OpenVpnConnection - refused client: REVOKED - client certificate thumbprint abc is in vpnClientRevokedCertificates
                2026-12-04T14:20:31Z [WARN] OpenVpnConnection - refused client: REVOKED - client certificate thumbprint def
                """;
        assertEquals(Optional.of("2026-12-04T14:20:30Z [WARN] OpenVpnConnection - refused client: REVOKED - client certificate "
                + "thumbprint abc is in vpnClientRevokedCertificates"), SessionChecks.revocationLine(log, "abc"));
        assertEquals(Optional.empty(), SessionChecks.revocationLine(log, "0123"));
    }
}
