package io.p2sgw.apitests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.p2sgw.cli.arm.ArmClient;
import io.p2sgw.cli.arm.ClientSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Restarting the server on the same data directory keeps every resource (issue 2 "Done when"). */
class RestartTest {
    @TempDir Path dir;

    @Test
    void everyResourceSurvivesARestart() throws Exception {
        Path data = dir.resolve("data");
        Seed.Certs certs = Seed.Certs.create();
        List<String> paths = List.of(Seed.RG_PATH, Seed.VNET_PATH, Seed.VNET_PATH + "/subnets/GatewaySubnet", Seed.PIP_PATH, Seed.GW_PATH);
        List<JsonNode> before;
        String token;
        try (RunningServer server = RunningServer.start(data)) {
            token = server.adminToken();
            ArmClient arm = client(server, token);
            Walkthrough.viaArmClient(arm, certs);
            before = paths.stream().map(arm::get).toList();
        }
        try (RunningServer server = RunningServer.start(data)) {
            assertEquals(token, server.adminToken(), "the admin token survives too");
            ArmClient arm = client(server, token);
            for (int i = 0; i < paths.size(); i++) {
                assertEquals(before.get(i), arm.get(paths.get(i)), paths.get(i));
            }
            JsonNode vcc = arm.get(Seed.GW_PATH).at("/properties/vpnClientConfiguration");
            assertEquals(certs.rootData(), vcc.at("/vpnClientRootCertificates/0/properties/publicCertData").asText());
            assertEquals(certs.revokedThumbprint().toLowerCase(),
                    vcc.at("/vpnClientRevokedCertificates/0/properties/thumbprint").asText().toLowerCase());
        }
    }

    static ArmClient client(RunningServer server, String token) {
        return new ArmClient(new ClientSettings(server.baseUri(), token, Optional.of(server.caFile()), Seed.SUBSCRIPTION),
                new PrintWriter(new StringWriter()), java.time.Duration.ofMillis(100));
    }
}
