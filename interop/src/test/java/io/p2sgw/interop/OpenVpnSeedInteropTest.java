package io.p2sgw.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.p2sgw.lab.Lab;
import io.p2sgw.lab.OpenVpnClient;
import io.p2sgw.pki.Certificates;
import io.p2sgw.pki.KeyAndChain;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The stock openvpn 2.6 client against p2sgw, through the whole product: the gateway configured through the REST
 * API as the seed walkthrough does, the profile from the client package, the VM at 10.1.0.4 behind the gateway.
 * Root only (network namespaces); the lab is removed after the class, also on failure.
 */
@Tag("interop")
@Timeout(600)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenVpnSeedInteropTest {
    /** Client namespaces: 1 for the basic test, 2-3 for revocation, 4-23 for twenty at once. */
    static final int CLIENTS = 23;
    static SeedGateway gw;

    @BeforeAll
    static void start() {
        Optional<String> why = Lab.whyUnavailable();
        assumeTrue(why.isEmpty(), () -> "interop tests skipped: " + why.orElse(""));
        gw = SeedGateway.start(CLIENTS);
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.closeLeavingNoNamespace();
        }
    }

    private static OpenVpnClient connected(int i, KeyAndChain cert) {
        OpenVpnClient c = gw.connect(i, cert, List.of());
        assertTrue(c.awaitConnected(SeedGateway.CONNECT_TIMEOUT),
                () -> "client " + i + " did not connect. Client log:\n" + c.process().tail(30) + "\nServer log:\n"
                        + gw.server.process().tail(30));
        return c;
    }

    private static boolean inPool(String address) {
        return address.startsWith("172.16.201.") && !address.equals("172.16.201.0") && !address.equals("172.16.201.255");
    }

    @Test
    @Order(1)
    void clientFromThePackageGetsAPoolAddressAndReachesTheVm() {
        OpenVpnClient c = connected(1, gw.clientCertificate("P2SChildCert"));
        try {
            String address = c.tunnelAddress().orElseThrow(() -> new AssertionError("no tunnel address: " + c.log()));
            assertTrue(inPool(address), address);
            assertTrue(gw.lab.ping(gw.lab.clientNamespace(1), Lab.VM_ADDRESS, Duration.ofSeconds(5)), "ping 10.1.0.4");
            assertEquals(Optional.of(Lab.VM_INDEX_BODY),
                    gw.lab.httpGet(gw.lab.clientNamespace(1), "http://" + Lab.VM_ADDRESS + "/", Duration.ofSeconds(10)));
            List<JsonNode> sessions = gw.walk.connectionHealth();
            assertEquals(1, sessions.size(), sessions.toString());
            assertEquals("P2SChildCert", sessions.getFirst().path("vpnUserName").asText());
            assertEquals(address, sessions.getFirst().path("privateIpAddress").asText());
            assertTrue(sessions.getFirst().path("vpnConnectionId").asText().startsWith("OpenVPN_"));
            // The package's profile is OpenVPN-TCP, and p2sgw.jar's manifest gives the TCP writer the socket's
            // descriptor (Add-Exports java.base/sun.nio.ch): no fallback to writes that wait for the client.
            assertTrue(c.log().contains("TCP connection established"), c.log());
            assertFalse(gw.serverLog().contains("TCP clients are written with blocking writes"), gw.serverLog());
            // ... and the same descriptor lets the core's epoll readers read it (no virtual thread per connection).
            assertTrue(gw.serverLog().matches("(?s).*TCP connections are read by \\d epoll reader thread.*"), gw.serverLog());
            assertFalse(gw.serverLog().contains("TCP connections are read by a virtual thread each"), gw.serverLog());
            // The default --crypto=fast: AWS-LC loaded from p2sgw.jar (its native library is bundled there).
            assertTrue(gw.serverLog().contains("crypto: AWS-LC v"), gw.serverLog());
        } finally {
            c.close();
        }
    }

    @Test
    @Order(2)
    void revokedClientIsCutOffAndRefusedWhileAnotherStaysUp() {
        KeyAndChain alice = gw.clientCertificate("alice");
        KeyAndChain bob = gw.clientCertificate("bob");
        OpenVpnClient a = connected(2, alice);
        OpenVpnClient b = connected(3, bob);
        try {
            String thumbprint = Certificates.thumbprint(alice.certificate());
            gw.walk.revoke("alice", thumbprint);
            Instant revokedAt = Instant.now();
            // The live session ends: gone from the health API (the data plane closes it at once; the bound here
            // is generous so the test never fails on timing, and the measured delay is printed).
            boolean gone = false;
            while (Duration.between(revokedAt, Instant.now()).toSeconds() < 30 && !gone) {
                gone = gw.walk.connectionHealth().stream().noneMatch(s -> s.path("vpnUserName").asText().equals("alice"));
            }
            System.out.println("[interop] alice's session gone " + Duration.between(revokedAt, Instant.now()).toMillis()
                    + " ms after the revocation PUT returned");
            assertTrue(gone, "alice's session ended");
            assertTrue(gw.serverLog().contains(thumbprint), "the server log names the revoked thumbprint");
            // Reconnecting is refused: openvpn reports AUTH_FAILED (or keeps failing) and never completes again.
            assertTrue(a.process().awaitLog("AUTH_FAILED", Duration.ofSeconds(60)) || !a.process().isAlive(), a.log());
            assertTrue(gw.lab.ping(gw.lab.clientNamespace(3), Lab.VM_ADDRESS, Duration.ofSeconds(5)), "bob still reaches the VM");
        } finally {
            a.close();
            b.close();
        }
    }

    @Test
    @Order(3)
    void twentyClientsAtOnceGetDistinctAddresses() {
        List<OpenVpnClient> clients = new ArrayList<>();
        try {
            for (int i = 4; i < 24; i++) {
                clients.add(gw.connect(i, gw.clientCertificate("user" + i), List.of()));
            }
            Set<String> addresses = new HashSet<>();
            for (int k = 0; k < clients.size(); k++) {
                OpenVpnClient c = clients.get(k);
                assertTrue(c.awaitConnected(SeedGateway.CONNECT_TIMEOUT), () -> "client did not connect:\n" + c.process().tail(20));
                String address = c.tunnelAddress().orElseThrow();
                assertTrue(inPool(address), address);
                addresses.add(address);
            }
            assertEquals(20, addresses.size(), "distinct addresses: " + addresses);
            for (int i = 4; i < 24; i += 5) {
                assertTrue(gw.lab.ping(gw.lab.clientNamespace(i), Lab.VM_ADDRESS, Duration.ofSeconds(5)), "client " + i);
            }
        } finally {
            clients.forEach(OpenVpnClient::close);
        }
    }

    @Test
    @Order(4)
    void certificateFromAnUntrustedRootIsRefusedWithTheReasonLogged() {
        var otherRoot = gw.issuer.createRoot("NotUploaded", io.p2sgw.pki.KeyType.RSA2048, Duration.ofDays(30));
        KeyAndChain stranger = gw.issuer.createClient(otherRoot, "stranger", io.p2sgw.pki.KeyType.RSA2048, Duration.ofDays(30));
        OpenVpnClient c = gw.connect(1, stranger, List.of());
        try {
            assertTrue(!c.awaitConnected(Duration.ofSeconds(20)), "an untrusted client must not connect");
            String log = gw.serverLog();
            assertTrue(log.contains(Certificates.thumbprint(stranger.certificate())), "server log names the thumbprint");
            assertTrue(log.toUpperCase().contains("UNTRUSTED"), "server log gives the reason");
        } finally {
            c.close();
        }
    }
}
