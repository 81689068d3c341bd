package io.p2sgw.apitests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16: a package for a gateway this host does not serve is still produced (as Azure does: the package is
 * made from the resource, whatever answers at its address), but the 202 carries an {@code x-p2sgw-warning}
 * header saying so; the body and the operation keep their ARM shapes. A served gateway's package has no warning.
 */
class UnservedGatewayPackageTest {
    private static final String V = "?api-version=2024-05-01";
    private static final String WARNING = "x-p2sgw-warning";

    @TempDir Path dir;

    @Test
    void packageOfAnUnservedGatewayCarriesAWarning() throws Exception {
        String other = Seed.GW_PATH.replace("/VNet1GW", "/OtherGW");
        try (RunningServer server = RunningServer.start(dir.resolve("data"), Duration.ofMinutes(5), b -> b.gateway(other))) {
            Walkthrough.viaArmClient(RestartTest.client(server, server.adminToken()), Seed.Certs.create());
            Curl.Reply gen = generate(server);
            String warning = gen.header(WARNING).orElseThrow(() -> new AssertionError("no " + WARNING + " header"));
            assertTrue(warning.contains("VNet1GW is not served by this p2sgw server"), warning);
            // Configured for OtherGW, which does not exist: the server serves nothing, and says so.
            assertTrue(warning.contains("(it serves no gateway yet)"), "says what the server serves instead: " + warning);
        }
    }

    @Test
    void packageOfTheServedGatewayCarriesNone() throws Exception {
        try (RunningServer server = RunningServer.start(dir.resolve("data"))) {
            Walkthrough.viaArmClient(RestartTest.client(server, server.adminToken()), Seed.Certs.create());
            assertEquals(Optional.empty(), generate(server).header(WARNING));
        }
    }

    private Curl.Reply generate(RunningServer server) throws Exception {
        Curl curl = new Curl(server.caFile(), dir, server.adminToken());
        Curl.Reply gen = curl.send("POST", server.baseUri() + Seed.GW_PATH + "/generatevpnclientpackage" + V,
                Optional.of("{\"authenticationMethod\":\"EAPTLS\"}"), List.of()).expect(202);
        // The package is produced either way.
        String url = curl.awaitLocation(gen.header("Location").orElseThrow()).expect(200).json().asText();
        assertTrue(curl.get(url).expect(200).body().length > 0);
        return gen;
    }
}
