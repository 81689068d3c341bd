package io.p2sgw.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.p2sgw.dataplane.api.TunnelType;
import io.p2sgw.dataplane.api.TunnelTypeStatus;
import io.p2sgw.testkit.dataplane.RecordingDataPlane;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /providers/P2sgw/status} shows, per enabled tunnel type, whether it is served (issue 12). */
class StatusEndpointTest {
    @TempDir
    Path dir;

    @Test
    void statusListsEachTunnelTypeAndWhetherItIsServed() throws Exception {
        RecordingDataPlane dataPlane = new RecordingDataPlane();
        dataPlane.status("running: TUN p2sgw0 172.16.201.1/24; not served yet: IkeV2");
        dataPlane.tunnelTypes(List.of(new TunnelTypeStatus(TunnelType.OPENVPN, true, "served on TCP 443, OpenVPN-UDP"),
                new TunnelTypeStatus(TunnelType.IKEV2, false, "not served yet: no IkeV2 server")));
        try (P2sgwServer server = P2sgwServer.builder().dataDir(dir).apiListen(new InetSocketAddress("127.0.0.1", 0))
                .publicAddress("127.0.0.1").serverName("vpn.example.test").tcpPort(18443).openVpnUdpPort(18194)
                .dataPlane(dataPlane).build().start()) {
            HttpResponse<String> r = TestApi.get(server, "/providers/P2sgw/status", server.adminToken());
            assertEquals(200, r.statusCode(), r.body());
            JsonNode status = new ObjectMapper().readTree(r.body());
            assertEquals(dataPlane.status(), status.path("dataPlane").asText());
            assertEquals(new ObjectMapper().readTree("""
                    [{"tunnelType":"OpenVPN","served":true,"detail":"served on TCP 443, OpenVPN-UDP"},
                     {"tunnelType":"IkeV2","served":false,"detail":"not served yet: no IkeV2 server"}]"""),
                    status.path("tunnelTypes"));
            // Where clients reach this host, as the profiles name it (issue 16).
            assertEquals(new ObjectMapper().readTree("""
                    {"serverName":"vpn.example.test","publicAddress":"127.0.0.1","tcpPort":18443,"openVpnUdpPort":18194,
                     "ikeUdpPorts":[500,4500]}"""), status.path("endpoint"));
        }
    }
}
