package io.p2sgw.server;

import static io.p2sgw.control.testing.TestData.RG;
import static io.p2sgw.control.testing.TestData.SUB;
import static io.p2sgw.control.testing.TestData.id;
import static io.p2sgw.control.testing.TestData.json;
import static io.p2sgw.control.testing.TestData.pipBody;
import static io.p2sgw.control.testing.TestData.rgBody;
import static io.p2sgw.control.testing.TestData.seedP2s;
import static io.p2sgw.control.testing.TestData.vnetBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.p2sgw.control.model.ResourceRef;
import io.p2sgw.control.model.ResourceType;
import io.p2sgw.control.service.NetworkService;
import io.p2sgw.control.service.Preconditions;
import io.p2sgw.control.store.Database;
import io.p2sgw.control.store.InstanceRepository;
import io.p2sgw.control.testing.StoreKind;
import io.p2sgw.dataplane.api.GatewaySnapshot;
import io.p2sgw.dataplane.api.SessionInfo;
import io.p2sgw.dataplane.api.TunnelType;
import io.p2sgw.testkit.dataplane.RecordingDataPlane;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17: several instances of the gateway share one PostgreSQL store. Before, a second server on the same database
 * replaced the first's admin token (the first then answered 401 to its own token) and made a CA of its own.
 */
class SeveralInstancesTest {
    @TempDir
    Path dir;

    /** Generous: a notification arrives within milliseconds; a loaded CI host may take seconds. Never a timing assert. */
    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final String API = "?api-version=2024-05-01";
    private static final ResourceRef VNET = new ResourceRef(SUB, RG, ResourceType.VIRTUAL_NETWORK, "VNet1");
    private static final ResourceRef GW = VNET.sibling(ResourceType.VIRTUAL_NETWORK_GATEWAY, "VNet1GW");
    private static final String STOLEN = "0123456789abcdef0123456789abcdef01234567";

    private final Map<String, RecordingDataPlane> dataPlanes = new HashMap<>();

    private P2sgwServer instance(String name, String storeUrl) {
        return instance(name, storeUrl, "127.0.0.1");
    }

    private P2sgwServer instance(String name, String storeUrl, String publicAddress) {
        RecordingDataPlane dataPlane = new RecordingDataPlane();
        dataPlanes.put(name, dataPlane);
        return P2sgwServer.builder()
                .dataDir(dir.resolve(name))
                .databaseUrl(storeUrl)
                .instanceName(name)
                .apiListen(new InetSocketAddress("127.0.0.1", 0))
                .publicAddress(publicAddress)
                .serverName("vpn.example.test")
                .dataPlane(dataPlane)
                // Only notifications carry changes here: the periodic check would come too late to matter.
                .storeCheckInterval(Duration.ofHours(1))
                .build();
    }

    /**
     * The seed's gateway, written by a third party (another instance or a tool) straight into the store; active-active
     * needs three ipConfigurations, each with its own public IP (azure-p2s.md §2.1).
     */
    private static void seedGateway(String url, boolean activeActive) {
        NetworkService store = new NetworkService(Database.open(url));
        store.putResourceGroup(SUB, RG, json(rgBody()));
        store.putVirtualNetwork(VNET, json(vnetBody()), Preconditions.NONE);
        String ipc = "{'name':'%s','properties':{'subnet':{'id':'" + id("virtualNetworks/VNet1/subnets/GatewaySubnet")
                + "'},'publicIPAddress':{'id':'" + id("publicIPAddresses/%s") + "'}}}";
        StringBuilder ipConfigurations = new StringBuilder();
        for (String n : activeActive ? List.of("p1", "p2", "p3") : List.of("p1")) {
            store.putPublicIp(VNET.sibling(ResourceType.PUBLIC_IP_ADDRESS, n), json(pipBody()), Preconditions.NONE);
            ipConfigurations.append(ipConfigurations.isEmpty() ? "" : ",").append(String.format(ipc, "c" + n, n));
        }
        store.putGateway(GW, json("{'location':'eastus','properties':{'activeActive':" + activeActive + ",'gatewayType':'Vpn',"
                + "'vpnType':'RouteBased','vpnGatewayGeneration':'Generation2','sku':{'name':'VpnGw2AZ','tier':'VpnGw2AZ'},"
                + "'ipConfigurations':[" + ipConfigurations + "],'vpnClientConfiguration':{" + seedP2s() + "}}}"),
                Preconditions.NONE);
    }

    private Optional<GatewaySnapshot> snapshotOf(String instance) {
        return dataPlanes.get(instance).current();
    }

    /** Polls until {@code condition} holds; fails only after {@link #BOUND}. */
    private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail(what + " did not happen within " + BOUND);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void aRevocationWrittenThroughOneInstanceReachesTheOthersSnapshot() throws Exception {
        String url = StoreKind.POSTGRESQL.newUrl(dir);
        try (P2sgwServer a = instance("a", url).start(); P2sgwServer b = instance("b", url).start()) {
            seedGateway(url, true);
            eventually("both instances serve their half of the active-active pool", () ->
                    snapshotOf("a").map(s -> s.instanceCount() == 2 && s.instanceIndex() == 0).orElse(false)
                            && snapshotOf("b").map(s -> s.instanceCount() == 2 && s.instanceIndex() == 1).orElse(false));

            HttpResponse<String> r = TestApi.put(b, GW.id() + "/vpnClientRevokedCertificates/stolenlaptop" + API,
                    a.adminToken(), "{\"properties\":{\"thumbprint\":\"" + STOLEN.toUpperCase() + "\"}}");
            assertTrue(r.statusCode() == 200 || r.statusCode() == 201, r.statusCode() + " " + r.body());
            assertTrue(snapshotOf("b").orElseThrow().revokedThumbprints().contains(STOLEN), "the writer applies at once");
            eventually("the revocation written through b reaches a's data plane", () ->
                    snapshotOf("a").map(s -> s.revokedThumbprints().contains(STOLEN)).orElse(false));

            // b stops: a serves the whole pool again.
            b.close();
            eventually("a takes over the whole pool", () ->
                    snapshotOf("a").map(s -> s.instanceCount() == 1).orElse(false));
        }
    }

    @Test
    void healthThroughOneInstanceListsTheOthersSessionsAndADisconnectReachesIt() throws Exception {
        String url = StoreKind.POSTGRESQL.newUrl(dir);
        seedGateway(url, true);
        try (P2sgwServer a = instance("a", url).start(); P2sgwServer b = instance("b", url).start()) {
            eventually("b serves its half", () -> snapshotOf("b").map(s -> s.instanceCount() == 2).orElse(false));
            dataPlanes.get("b").sessions.add(new SessionInfo("OpenVPN_b-session", TunnelType.OPENVPN, "P2SChildCert",
                    STOLEN, new InetSocketAddress(InetAddress.ofLiteral("203.0.113.7"), 50000), "172.16.201.130",
                    Instant.parse("2026-12-04T11:00:00Z"), 1, 2, 3, 4));
            String health = GW.id() + "/getvpnclientconnectionhealth" + API;
            eventually("a's health lists b's session (b reports it at its next heartbeat)", () ->
                    call(() -> TestApi.post(a, health, a.adminToken(), "{}").body()).contains("OpenVPN_b-session"));

            HttpResponse<String> r = TestApi.post(a, GW.id() + "/disconnectVirtualNetworkGatewayVpnConnections" + API,
                    a.adminToken(), "{\"vpnConnectionIds\":[\"OpenVPN_b-session\"]}");
            assertEquals(200, r.statusCode(), r.body());
            eventually("b ends the session asked through a", () ->
                    dataPlanes.get("b").disconnected.contains("OpenVPN_b-session"));
            assertTrue(dataPlanes.get("b").sessions.isEmpty());
        }
    }

    /**
     * The SKU's connection caps are the gateway's, not each instance's: the sessions b holds reach a's snapshot (b reports
     * them, a reads the reports at its heartbeat), where a's admission counts them against the cap.
     */
    @Test
    void theSessionsOneInstanceHoldsCountAgainstTheOthersConnectionCaps() throws Exception {
        String url = StoreKind.POSTGRESQL.newUrl(dir);
        seedGateway(url, true);
        try (P2sgwServer a = instance("a", url).start(); P2sgwServer b = instance("b", url).start()) {
            eventually("b serves its half", () -> snapshotOf("b").map(s -> s.instanceCount() == 2).orElse(false));
            for (int i = 0; i < 3; i++) {
                dataPlanes.get("b").sessions.add(new SessionInfo("OpenVPN_b" + i, TunnelType.OPENVPN, "P2SChildCert",
                        STOLEN, new InetSocketAddress(InetAddress.ofLiteral("203.0.113.7"), 50000 + i), "172.16.201.13" + i,
                        Instant.parse("2026-12-04T11:00:00Z"), 1, 2, 3, 4));
            }
            eventually("a's caps count b's 3 sessions", () -> snapshotOf("a")
                    .map(s -> s.limits().ikev2AndOpenVpnElsewhere() == 3 && s.limits().ikev2AndOpenVpn() == 500).orElse(false));
            assertEquals(0, snapshotOf("b").orElseThrow().limits().ikev2AndOpenVpnElsewhere(), "a holds none");

            dataPlanes.get("b").sessions.clear();
            eventually("b's sessions ended: a's caps are whole again", () -> snapshotOf("a")
                    .map(s -> s.limits().ikev2AndOpenVpnElsewhere() == 0).orElse(false));
        }
    }

    /**
     * A package generated through a: its operation is polled through b, its link downloads through b, and its OpenVPN
     * profile names b's address too.
     */
    @Test
    void aPackageGeneratedThroughOneInstanceIsPolledAndDownloadedThroughTheOther() throws Exception {
        String url = StoreKind.POSTGRESQL.newUrl(dir);
        seedGateway(url, true);
        try (P2sgwServer a = instance("a", url, "127.0.0.1").start(); P2sgwServer b = instance("b", url, "127.0.0.2").start()) {
            eventually("a knows of b", () -> snapshotOf("a").map(s -> s.instanceCount() == 2).orElse(false));
            HttpResponse<String> started = TestApi.post(a, GW.id() + "/generatevpnclientpackage" + API, a.adminToken(),
                    "{\"authenticationMethod\":\"EAPTLS\"}");
            assertEquals(202, started.statusCode(), started.body());
            String location = started.headers().firstValue("Location").orElseThrow();
            String pathOnB = location.substring(a.apiBaseUri().toString().length());
            HttpResponse<String> result = TestApi.get(b, pathOnB, a.adminToken());
            assertEquals(200, result.statusCode(), result.body());
            String link = new com.fasterxml.jackson.databind.ObjectMapper().readTree(result.body()).asText();
            assertTrue(link.startsWith(a.apiBaseUri() + "/vpnclientpackage/"), link);
            HttpResponse<byte[]> zip = download(b, link.substring(a.apiBaseUri().toString().length()));
            assertEquals(200, zip.statusCode());
            String profile = entry(zip.body(), "OpenVPN/vpnconfig.ovpn");
            assertTrue(profile.contains("\nremote 127.0.0.1 443\n") && profile.contains("\nremote 127.0.0.2 443\n"), profile);
        }
    }

    private static HttpResponse<byte[]> download(P2sgwServer server, String path) throws Exception {
        java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", server.caCertificate());
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        javax.net.ssl.SSLContext ssl = javax.net.ssl.SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        try (java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().sslContext(ssl).build()) {
            return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.apiBaseUri() + path)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        }
    }

    private static String entry(byte[] zip, String name) throws Exception {
        try (var in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
            for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (e.getName().equals(name)) {
                    return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                }
            }
        }
        throw new AssertionError(name + " is not in the package");
    }

    private interface Call<T> {
        T run() throws Exception;
    }

    private static <T> T call(Call<T> c) {
        try {
            return c.run();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * An instance killed with -9 never unregisters: the others remove it once its heartbeat has lapsed and take over
     * its part. The dead instance is a row whose heartbeat stops, as a killed process leaves it.
     */
    @Test
    void anInstanceWhoseHeartbeatLapsesIsTakenOverBySurvivor() throws Exception {
        String url = StoreKind.POSTGRESQL.newUrl(dir);
        seedGateway(url, true);
        try (P2sgwServer a = instance("a", url).start()) {
            eventually("a serves the whole pool", () -> snapshotOf("a").map(s -> s.instanceCount() == 1).orElse(false));
            Database store = Database.open(url);
            Instant now = Instant.now();
            store.inChangingTransaction(c -> {
                InstanceRepository.put(c, new InstanceRepository.InstanceRow("killed", 1, "gone", "198.51.100.11", now, now));
                return null;
            });
            eventually("a gives the other instance its half", () ->
                    snapshotOf("a").map(s -> s.instanceCount() == 2 && s.instanceIndex() == 0).orElse(false));
            // No heartbeat comes from "killed": after InstanceRegistry.LAPSE, a's heartbeat removes it.
            eventually("a takes over the whole pool once the heartbeat lapsed", () ->
                    snapshotOf("a").map(s -> s.instanceCount() == 1).orElse(false));
            assertEquals(List.of("a:0"), registered(store));
        }
    }

    @Test
    void anActiveStandbyGatewayIsServedByTheFirstSlotOnly() throws Exception {
        String url = StoreKind.POSTGRESQL.newUrl(dir);
        seedGateway(url, false);
        try (P2sgwServer a = instance("a", url).start(); P2sgwServer b = instance("b", url).start()) {
            eventually("a serves the whole pool", () -> snapshotOf("a").map(s -> s.instanceCount() == 1).orElse(false));
            assertEquals(Optional.empty(), snapshotOf("b"), "b stands by");
            assertEquals(Optional.empty(), b.servedGatewayId());
            a.close();
            eventually("b takes over once a is gone", () -> snapshotOf("b").map(s -> s.instanceCount() == 1).orElse(false));
        }
    }

    @Test
    void aSecondInstanceSharesTheAdminTokenAndTheGatewayCa() throws Exception {
        String url = StoreKind.POSTGRESQL.newUrl(dir);
        try (P2sgwServer a = instance("a", url).start(); P2sgwServer b = instance("b", url).start()) {
            String token = a.adminToken();
            assertEquals(200, tokensStatus(a, token), "the first instance's admin token still works on it");
            assertEquals(200, tokensStatus(b, token), "and on the second instance");
            assertEquals(Optional.empty(), b.heldAdminToken());
            assertTrue(Files.notExists(dir.resolve("b").resolve("admin-token")));
            assertEquals(a.caCertificate(), b.caCertificate(), "one server root for both instances' clients");
        }
    }

    @Test
    void instancesRegisterWithTheirSlotsAndAreGoneWhenTheyStop() throws Exception {
        String url = StoreKind.POSTGRESQL.newUrl(dir);
        Database store = Database.open(url);
        try (P2sgwServer a = instance("a", url).start()) {
            try (P2sgwServer b = instance("b", url).start()) {
                assertEquals(List.of("a:0", "b:1"), registered(store));
            }
            assertEquals(List.of("a:0"), registered(store), "a clean stop unregisters at once");
        }
        assertEquals(List.of(), registered(store));
    }

    private static List<String> registered(Database store) {
        return store.inTransaction(c -> InstanceRepository.list(c).stream().map(r -> r.name() + ":" + r.index()).toList());
    }

    private static int tokensStatus(P2sgwServer server, String token) throws Exception {
        return TestApi.get(server, "/providers/P2sgw/tokens", token).statusCode();
    }
}
