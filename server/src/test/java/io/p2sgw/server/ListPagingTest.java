package io.p2sgw.server;

import static io.p2sgw.control.testing.TestData.RG;
import static io.p2sgw.control.testing.TestData.SUB;
import static io.p2sgw.control.testing.TestData.pipBody;
import static io.p2sgw.control.testing.TestData.rgBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.p2sgw.testkit.dataplane.RecordingDataPlane;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ARM lists page with nextLink (issue 17): a client that follows it sees every resource once; a forged token is a 400. */
class ListPagingTest {
    @TempDir
    Path dir;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API = "?api-version=2024-05-01";
    private static final String PIPS = "/subscriptions/" + SUB + "/resourceGroups/" + RG
            + "/providers/Microsoft.Network/publicIPAddresses";

    private static String quoted(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    @Test
    void aListLongerThanAPageIsServedInPagesLinkedByNextLink() throws Exception {
        try (P2sgwServer server = P2sgwServer.builder().dataDir(dir).apiListen(new InetSocketAddress("127.0.0.1", 0))
                .publicAddress("127.0.0.1").serverName("vpn.example.test").dataPlane(new RecordingDataPlane())
                .listPageSize(2).build().start()) {
            String token = server.adminToken();
            assertEquals(201, TestApi.put(server, "/subscriptions/" + SUB + "/resourcegroups/" + RG + API, token,
                    quoted(rgBody())).statusCode());
            List<String> created = List.of("pip1", "pip2", "pip3", "pip4", "pip5");
            for (String name : created) {
                HttpResponse<String> r = TestApi.put(server, PIPS + "/" + name + API, token, quoted(pipBody()));
                assertEquals(201, r.statusCode(), r.body());
            }

            List<String> listed = new ArrayList<>();
            String next = PIPS + API;
            int pages = 0;
            while (next != null) {
                HttpResponse<String> r = TestApi.get(server, next, token);
                assertEquals(200, r.statusCode(), r.body());
                JsonNode page = JSON.readTree(r.body());
                assertTrue(page.path("value").size() <= 2, r.body());
                page.path("value").forEach(v -> listed.add(v.path("name").asText()));
                pages++;
                if (page.hasNonNull("nextLink")) {
                    URI link = URI.create(page.path("nextLink").asText());
                    assertEquals(server.apiBaseUri().getAuthority(), link.getAuthority());
                    assertTrue(link.getRawQuery().contains("api-version=2024-05-01"), link.toString());
                    next = link.getRawPath() + "?" + link.getRawQuery();
                } else {
                    next = null;
                }
            }
            assertEquals(created, listed);
            assertEquals(3, pages);

            HttpResponse<String> forged = TestApi.get(server, PIPS + API + "&$skipToken=bm90LW91cnM", token);
            assertEquals(400, forged.statusCode(), forged.body());
            JsonNode error = JSON.readTree(forged.body()).path("error");
            assertEquals("InvalidSkipToken", error.path("code").asText(), forged.body());
            assertFalse(error.path("message").asText().isEmpty());
        }
    }
}
