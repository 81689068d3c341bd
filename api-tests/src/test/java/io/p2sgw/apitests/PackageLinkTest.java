package io.p2sgw.apitests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The package URL works without the bearer token for a limited time, like Azure's SAS URL, and not after
 * (issue 3; azure-p2s.md §3.1). A Reader may not generate packages.
 */
class PackageLinkTest {
    private static final String V = "?api-version=2024-05-01";
    private static final Duration TTL = Duration.ofSeconds(10);

    @TempDir Path dir;

    @Test
    void linkWorksWithoutTokenThenExpires() throws Exception {
        try (RunningServer server = RunningServer.start(dir.resolve("data"), TTL)) {
            Walkthrough.viaArmClient(RestartTest.client(server, server.adminToken()), Seed.Certs.create());
            Curl curl = new Curl(server.caFile(), dir, server.adminToken());
            long generatedAt = System.nanoTime();
            Curl.Reply gen = curl.send("POST", server.baseUri() + Seed.GW_PATH + "/generatevpnclientpackage" + V,
                    Optional.of("{\"authenticationMethod\":\"EAPTLS\"}"), List.of()).expect(202);
            JsonNode url = curl.awaitLocation(gen.header("Location").orElseThrow()).expect(200).json();
            assertTrue(url.asText().contains("/vpnclientpackage/"), url.toString());

            Curl.Reply zip = curl.withoutToken().get(url.asText());
            // A machine so slow that the link expired before the first download says nothing: skip, don't fail.
            org.junit.jupiter.api.Assumptions.assumeTrue(Duration.ofNanos(System.nanoTime() - generatedAt).compareTo(TTL) < 0,
                    "the first download came after the link's lifetime");
            zip.expect(200);
            assertTrue(CurlWalkthroughTest.zipEntries(zip.body()).contains("OpenVPN/vpnconfig.ovpn"));

            Thread.sleep(TTL.plusMillis(500).toMillis());
            Curl.Reply expired = curl.withoutToken().get(url.asText());
            assertEquals(404, expired.status(), expired.text());
            assertEquals("PackageLinkExpired", expired.json().at("/error/code").asText());

            Curl.Reply badMethod = curl.send("POST", server.baseUri() + Seed.GW_PATH + "/generatevpnclientpackage" + V,
                    Optional.of("{\"authenticationMethod\":\"EAPMSCHAPv2\"}"), List.of());
            assertEquals(400, badMethod.status(), badMethod.text());
            assertEquals("InvalidAuthenticationMethod", badMethod.json().at("/error/code").asText());
        }
    }
}
