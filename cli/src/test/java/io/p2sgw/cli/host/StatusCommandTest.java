package io.p2sgw.cli.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.p2sgw.cli.testing.CliRun;
import io.p2sgw.cli.testing.FakeArmServer;
import io.p2sgw.cli.testing.FakeArmServer.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code p2sgw status} (issue 16): what this host serves, from {@code GET /providers/P2sgw/status}. */
class StatusCommandTest {
    private static final String STATUS = """
            {"version":"0.1.0","dataPlane":"running (tun p2sgw0 up, 172.16.201.1/24)",
             "tunnelTypes":[{"tunnelType":"OpenVPN","served":true,"detail":""},
                            {"tunnelType":"IkeV2","served":false,"detail":"no IKEv2 server yet"}],
             "servedGateway":"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/TestRG1/providers/Microsoft.Network/virtualNetworkGateways/VNet1GW",
             "endpoint":{"serverName":"vpn.example.test","publicAddress":"203.0.113.5","tcpPort":443,"openVpnUdpPort":1194,"ikeUdpPorts":[500,4500]},
             "sessions":2}""";

    private FakeArmServer server;

    @BeforeEach
    void start() {
        server = new FakeArmServer(r -> r.method().equals("GET") && r.path().equals("/providers/P2sgw/status")
                ? Response.json(200, STATUS)
                : Response.json(404, "{\"error\":{\"code\":\"NotFound\",\"message\":\"no " + r.path() + "\"}}"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private CliRun run(String... more) {
        String[] args = new String[more.length + 4];
        System.arraycopy(more, 0, args, 0, more.length);
        System.arraycopy(new String[] {"--endpoint", server.base(), "--token", "t0k"}, 0, args, more.length, 4);
        return CliRun.of(new StatusCommand(), args);
    }

    @Test
    void tableSaysWhatThisHostServes() {
        CliRun r = run("-o", "table");
        assertEquals(0, r.exitCode(), r.err());
        String out = r.out();
        assertTrue(out.contains("Gateway           VNet1GW (resource group TestRG1)"), out);
        assertTrue(out.contains("Server name       vpn.example.test (203.0.113.5)"), out);
        assertTrue(out.contains("TCP port          443"), out);
        assertTrue(out.contains("OpenVPN UDP port  1194"), out);
        assertTrue(out.contains("IKEv2 UDP ports   500, 4500"), out);
        assertTrue(out.contains("Data plane        running (tun p2sgw0 up, 172.16.201.1/24)"), out);
        assertTrue(out.contains("OpenVPN           served"), out);
        assertTrue(out.contains("IkeV2             not served: no IKEv2 server yet"), out);
        assertTrue(out.contains("Sessions          2"), out);
    }

    @Test
    void jsonIsTheApisAnswer() throws Exception {
        CliRun r = run();
        assertEquals(0, r.exitCode(), r.err());
        ObjectMapper json = new ObjectMapper();
        assertEquals(json.readTree(STATUS), json.readTree(r.out()));
        assertEquals("t0k", server.requests().getFirst().header("Authorization").replace("Bearer ", ""));
    }

    @Test
    void noGatewayYetIsSaid() {
        assertEquals("none yet (no gateway with a point-to-site configuration)",
                StatusCommand.rows(new ObjectMapper().createObjectNode()).get(0).path("value").asText());
    }
}
