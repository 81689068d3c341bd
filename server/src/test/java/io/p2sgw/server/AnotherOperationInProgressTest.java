package io.p2sgw.server;

import static io.p2sgw.control.testing.TestData.RG;
import static io.p2sgw.control.testing.TestData.SUB;
import static io.p2sgw.control.testing.TestData.json;
import static io.p2sgw.control.testing.TestData.pipBody;
import static io.p2sgw.control.testing.TestData.rgBody;
import static io.p2sgw.control.testing.TestData.seedGateway;
import static io.p2sgw.control.testing.TestData.vnetBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.p2sgw.control.model.ResourceRef;
import io.p2sgw.control.model.ResourceType;
import io.p2sgw.control.service.NetworkService;
import io.p2sgw.control.service.Preconditions;
import io.p2sgw.control.store.Database;
import io.p2sgw.control.testing.StoreKind;
import io.p2sgw.testkit.dataplane.RecordingDataPlane;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17: ARM takes one write at a time per gateway; a second one while an operation runs gets 409
 * {@code AnotherOperationInProgress}, through whichever instance it comes. The first instance's provisioning is made
 * to last an hour, so the operation is surely still running when the second write comes (no timing in the test). A
 * delete of the gateway's virtual network or resource group is refused in the same words.
 */
class AnotherOperationInProgressTest {
    @TempDir
    Path dir;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API = "?api-version=2024-05-01";
    private static final ResourceRef VNET = new ResourceRef(SUB, RG, ResourceType.VIRTUAL_NETWORK, "VNet1");
    private static final ResourceRef GW = VNET.sibling(ResourceType.VIRTUAL_NETWORK_GATEWAY, "VNet1GW");
    private static final ResourceRef PIP = VNET.sibling(ResourceType.PUBLIC_IP_ADDRESS, "VNet1GWpip");
    private static final String REVOKE = "{\"properties\":{\"thumbprint\":\"0123456789abcdef0123456789abcdef01234567\"}}";
    private static final Duration LONG = Duration.ofHours(1);

    private P2sgwServer instance(String name, String storeUrl, Duration provisioningDelay) {
        return P2sgwServer.builder()
                .dataDir(dir.resolve(name))
                .databaseUrl(storeUrl)
                .instanceName(name)
                .apiListen(new InetSocketAddress("127.0.0.1", 0))
                .publicAddress("127.0.0.1")
                .serverName("vpn.example.test")
                .dataPlane(new RecordingDataPlane())
                .provisioningDelay(provisioningDelay)
                .storeCheckInterval(Duration.ofHours(1))
                .build();
    }

    private static void seed(String url) {
        NetworkService store = new NetworkService(Database.open(url));
        store.putResourceGroup(SUB, RG, json(rgBody()));
        store.putVirtualNetwork(VNET, json(vnetBody()), Preconditions.NONE);
        store.putPublicIp(PIP, json(pipBody()), Preconditions.NONE);
        store.putGateway(GW, json(seedGateway()), Preconditions.NONE);
        store.finishProvisioning(GW);
    }

    /** A 409 in ARM's shape whose message names the running operation's URI; returns that URI. */
    private static String assertRefused(HttpResponse<String> r, String runningOperationUri) throws Exception {
        assertEquals(409, r.statusCode(), r.body());
        JsonNode error = JSON.readTree(r.body()).path("error");
        assertEquals("AnotherOperationInProgress", error.path("code").asText(), r.body());
        assertEquals("Another operation on this or dependent resource is in progress. To retrieve status of the operation"
                + " use uri: " + runningOperationUri + ".", error.path("message").asText());
        return runningOperationUri;
    }

    /** The running operation's URI as another instance writes it: its own base, the same path and id. */
    private static String asSeenThrough(P2sgwServer instance, String operationUri) {
        URI u = URI.create(operationUri);
        return instance.apiBaseUri() + u.getRawPath() + "?" + u.getRawQuery();
    }

    @Test
    void aWriteThroughOneInstanceWhileAnotherRunsAnOperationOnTheGatewayIsRefusedPostgresql() throws Exception {
        String url = StoreKind.POSTGRESQL.newUrl(dir);
        seed(url);
        try (P2sgwServer a = instance("a", url, LONG).start();
             P2sgwServer b = instance("b", url, Duration.ofMillis(500)).start()) {
            HttpResponse<String> started = TestApi.put(a, GW.id() + "/vpnClientRevokedCertificates/one" + API,
                    a.adminToken(), REVOKE);
            assertEquals(201, started.statusCode(), started.body());
            String operation = started.headers().firstValue("Azure-AsyncOperation").orElseThrow();
            String seenThroughB = asSeenThrough(b, operation);

            assertRefused(TestApi.put(b, GW.id() + "/vpnClientRevokedCertificates/two" + API, a.adminToken(), REVOKE),
                    seenThroughB);
            assertRefused(TestApi.send(b, "PATCH", GW.id() + API, a.adminToken(), "{\"tags\":{\"k\":\"v\"}}"), seenThroughB);
            assertRefused(TestApi.send(b, "DELETE", GW.id() + API, a.adminToken(), null), seenThroughB);
            assertRefused(TestApi.post(b, GW.id() + "/generatevpnclientpackage" + API, a.adminToken(),
                    "{\"authenticationMethod\":\"EAPTLS\"}"), seenThroughB);
            assertRefused(TestApi.post(b, GW.id() + "/resetvpnclientsharedkey" + API, a.adminToken(), "{}"), seenThroughB);
            // What would take the gateway with it is refused the same way, and deletes nothing.
            assertRefused(TestApi.send(b, "DELETE", VNET.id() + API, a.adminToken(), null), seenThroughB);
            assertRefused(TestApi.send(b, "DELETE", VNET.group().id() + API, a.adminToken(), null), seenThroughB);
            assertEquals(200, TestApi.get(b, VNET.id() + API, a.adminToken()).statusCode());
            assertEquals(200, TestApi.get(b, PIP.id() + API, a.adminToken()).statusCode());
            assertRefused(TestApi.put(a, GW.id() + "/vpnClientRevokedCertificates/two" + API, a.adminToken(), REVOKE),
                    operation);

            HttpResponse<String> polled = TestApi.get(b, URI.create(seenThroughB).getRawPath() + API, a.adminToken());
            assertEquals("InProgress", JSON.readTree(polled.body()).path("status").asText(), polled.body());
            HttpResponse<String> revoked = TestApi.get(b, GW.id() + "/vpnClientRevokedCertificates/two" + API, a.adminToken());
            assertEquals(404, revoked.statusCode(), "a refused write writes nothing: " + revoked.body());
            // Reads are never refused.
            assertEquals(200, TestApi.get(b, GW.id() + API, a.adminToken()).statusCode());
        }
    }

    @Test
    void aSecondWriteWhileTheOnlyInstanceRunsAnOperationIsRefusedSqlite() throws Exception {
        String url = StoreKind.SQLITE.newUrl(dir.resolve("store"));
        java.nio.file.Files.createDirectories(dir.resolve("store"));
        seed(url);
        try (P2sgwServer a = instance("a", url, LONG).start()) {
            HttpResponse<String> started = TestApi.put(a, GW.id() + "/vpnClientRevokedCertificates/one" + API,
                    a.adminToken(), REVOKE);
            assertEquals(201, started.statusCode(), started.body());
            String operation = started.headers().firstValue("Azure-AsyncOperation").orElseThrow();
            assertRefused(TestApi.send(a, "DELETE", GW.id() + "/vpnClientRevokedCertificates/one" + API, a.adminToken(),
                    null), operation);
            assertRefused(TestApi.post(a, GW.id() + "/generatevpnprofile" + API, a.adminToken(), "{}"), operation);
            assertRefused(TestApi.send(a, "DELETE", VNET.id() + API, a.adminToken(), null), operation);
            assertRefused(TestApi.send(a, "DELETE", VNET.group().id() + API, a.adminToken(), null), operation);
            assertEquals(200, TestApi.get(a, GW.id() + API, a.adminToken()).statusCode(), "nothing was deleted");
            assertEquals(200, TestApi.get(a, PIP.id() + API, a.adminToken()).statusCode());
            // Another resource is not held; the operation's own status is read as ever.
            assertTrue(TestApi.put(a, VNET.sibling(ResourceType.PUBLIC_IP_ADDRESS, "other").id() + API, a.adminToken(),
                    pipBody().replace('\'', '"')).statusCode() < 300);
        }
    }
}
