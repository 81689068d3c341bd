package io.p2sgw.apitests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A PUT without a resource name (the portal's empty "create virtual network" form sent one) is a 400 that says the
 * name is missing, not "The requested resource does not support http method 'PUT'. (MethodNotAllowed)" (issue 16).
 */
class NamelessPutTest {
    private static final String V = "?api-version=2024-05-01";

    @TempDir Path dir;

    @Test
    void putWithoutANameSaysTheNameIsMissing() {
        try (RunningServer server = RunningServer.start(dir.resolve("data"))) {
            Curl curl = new Curl(server.caFile(), dir, server.adminToken());
            curl.send("PUT", server.baseUri() + Seed.RG_PATH + V, Optional.of("{\"location\":\"eastus\"}"), List.of());
            for (String path : new String[] {Seed.NET + "/virtualNetworks/", Seed.NET + "/virtualNetworks",
                Seed.VNET_PATH + "/subnets/", Seed.RG_PATH.replaceAll("/TestRG1$", "/")}) {
                Curl.Reply r = curl.send("PUT", server.baseUri() + path + V, Optional.of("{\"location\":\"eastus\"}"), List.of());
                assertEquals(400, r.status(), path + ": " + r.text());
                assertEquals("InvalidResourceName", r.json().at("/error/code").asText(), r.text());
                assertTrue(r.json().at("/error/message").asText().contains("resource name is missing"), r.text());
            }
            // A GET of the collection still lists.
            assertEquals(200, curl.get(server.baseUri() + Seed.NET + "/virtualNetworks" + V).status());
        }
    }
}
