package io.p2sgw.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.p2sgw.lab.Lab;
import io.p2sgw.lab.OpenVpnClient;
import io.p2sgw.lab.SstpUmlClient;
import io.p2sgw.pki.Certificates;
import io.p2sgw.pki.KeyAndChain;
import io.p2sgw.pki.KeyType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The stock SSTP client against p2sgw: sstpc 1.0.18 + pppd 2.4.9 (Debian) inside User-Mode Linux in a lab client
 * namespace, EAP-TLS with a client certificate from the gateway's root, on the same TCP 443 as OpenVPN (the gateway
 * has {@code vpnClientProtocols = [OpenVPN, SSTP]}). Each guest writes its results into its own scratch directory,
 * which the tests assert on. Root only; the lab (namespaces, taps, UML processes) is removed after the class, also
 * on failure.
 */
@Tag("interop")
@Timeout(900)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SstpInteropTest {
    /** Client 1: SSTP; 2: OpenVPN beside it; 3-4: SSTP revocation; 5: refused certificate. */
    static final int CLIENTS = 5;
    /** A guest's whole life: boot (~2-20 s on a busy host), connect, checks, power-off. */
    static final Duration GUEST_LIMIT = Duration.ofSeconds(150);

    static SstpSeedGateway fixture;
    static SeedGateway gw;

    @BeforeAll
    static void start() {
        fixture = SstpSeedGateway.start(CLIENTS, GUEST_LIMIT);
        gw = fixture.seed;
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static boolean inPool(String address) {
        return address.startsWith("172.16.201.") && !address.endsWith(".0") && !address.endsWith(".255");
    }

    @Test
    @Order(1)
    void sstpcWithEapTlsGetsAPoolAddressAndReachesTheVmBesideAnOpenVpnClient() {
        OpenVpnClient ovpn = gw.connect(2, gw.clientCertificate("ovpn-beside"), List.of());
        SstpUmlClient c = fixture.guest(1, gw.clientCertificate("sstp-alice"), true);
        try {
            assertTrue(c.awaitChecks(GUEST_LIMIT), () -> "the guest did not finish its checks\n" + fixture.why(c));
            String address = c.tunnelAddress()
                    .orElseThrow(() -> new AssertionError("ppp0 got no address\n" + fixture.why(c)));
            assertTrue(inPool(address), address);
            assertTrue(c.pingSucceeded(), () -> "ping 10.1.0.4 through SSTP\n" + fixture.why(c));
            assertEquals(Optional.of(Lab.VM_INDEX_BODY), c.httpBody(), () -> "HTTP GET of the VM\n" + fixture.why(c));
            // sstpc sent CALL_CONNECTED and pppd ran EAP-TLS (sstp.md §6.4).
            assertTrue(c.sstpcLog().contains("Connection Established") || c.sstpcLog().contains("Connected"),
                    c::sstpcLog);
            assertTrue(c.pppdLog().contains("EAP"), c::pppdLog);

            // The OpenVPN client on the same TCP 443 at the same time.
            assertTrue(ovpn.awaitConnected(SeedGateway.CONNECT_TIMEOUT), () -> "OpenVPN beside SSTP:\n" + ovpn.process().tail(30));
            assertTrue(gw.lab.clientPingsVm(2), "OpenVPN client pings the VM");

            List<JsonNode> sessions = gw.walk.connectionHealth();
            JsonNode s = sessions.stream().filter(n -> n.path("vpnUserName").asText().equals("sstp-alice")).findFirst()
                    .orElseThrow(() -> new AssertionError("no SSTP session in " + sessions));
            assertTrue(s.path("vpnConnectionId").asText().startsWith("SSTP_"), s.toString());
            assertEquals(address, s.path("privateIpAddress").asText());
            assertTrue(sessions.stream().anyMatch(n -> n.path("vpnConnectionId").asText().startsWith("OpenVPN_")),
                    sessions.toString());
            // Which crypto-binding key layout the stock client used (sstp.md §3.3: pppd 2.4.9's 16+16 byte keys).
            String log = gw.serverLog();
            assertTrue(log.contains("SSTP call up"), log);
            System.out.println("[interop] " + log.lines().filter(l -> l.contains("SSTP call up")).findFirst().orElse(""));
            assertTrue(log.contains("HLAK MSK_PPPD_249"), "bookworm's sstpc + pppd 2.4.9 bind with MSK[0..15] || MSK[32..47]");
        } finally {
            c.close();
            ovpn.close();
        }
    }

    @Test
    @Order(2)
    void revokedSstpClientIsCutOffAndRefusedWhileAnotherStaysUp() {
        KeyAndChain carol = gw.clientCertificate("sstp-carol");
        SstpUmlClient a = fixture.guest(3, carol, true);
        SstpUmlClient b = fixture.guest(4, gw.clientCertificate("sstp-dave"), true);
        try {
            assertTrue(a.awaitChecks(GUEST_LIMIT) && a.tunnelAddress().isPresent(), () -> "carol connects\n" + fixture.why(a));
            assertTrue(b.awaitChecks(GUEST_LIMIT) && b.tunnelAddress().isPresent(), () -> "dave connects\n" + fixture.why(b));
            String thumbprint = Certificates.thumbprint(carol.certificate());
            gw.walk.revoke("carol", thumbprint);
            Instant revokedAt = Instant.now();
            boolean gone = false;
            while (Duration.between(revokedAt, Instant.now()).toSeconds() < 30 && !gone) {
                gone = gw.walk.connectionHealth().stream().noneMatch(s -> s.path("vpnUserName").asText().equals("sstp-carol"));
            }
            System.out.println("[interop] carol's SSTP session gone " + Duration.between(revokedAt, Instant.now()).toMillis()
                    + " ms after the revocation PUT returned");
            assertTrue(gone, "carol's session ended");
            // The client hears it: LCP Terminate-Request, then CALL_DISCONNECT; pppd ends while the guest holds.
            assertTrue(a.awaitPppdGone(Duration.ofSeconds(30)), () -> "carol's pppd did not end\n" + fixture.why(a));
            assertTrue(a.pppdLog().contains("LCP terminated by peer"), a::pppdLog);
            assertFalse(b.awaitPppdGone(Duration.ofSeconds(2)), () -> "dave's tunnel stays up\n" + fixture.why(b));
            assertTrue(gw.walk.connectionHealth().stream().anyMatch(s -> s.path("vpnUserName").asText().equals("sstp-dave")),
                    "dave's session stays");
            assertTrue(gw.serverLog().contains(thumbprint), "the server log names the revoked thumbprint");
            a.close();
            // Reconnecting with the revoked certificate is refused (EAP-Failure, CALL_ABORT) with the reason logged.
            SstpUmlClient again = fixture.guest(3, carol, false);
            try {
                assertTrue(again.awaitDone(GUEST_LIMIT), () -> "the refused guest ended\n" + fixture.why(again));
                assertFalse(again.tunnelAddress().isPresent(),
                        () -> "a revoked certificate must not connect\n" + fixture.why(again));
                assertTrue(gw.serverLog().contains("REVOKED"), "the server log gives the reason");
            } finally {
                again.close();
            }
        } finally {
            a.close();
            b.close();
        }
    }

    @Test
    @Order(3)
    void certificateFromAnUntrustedRootIsRefusedWithTheReasonLogged() {
        var otherRoot = gw.issuer.createRoot("NotUploaded", KeyType.RSA2048, Duration.ofDays(30));
        KeyAndChain stranger = gw.issuer.createClient(otherRoot, "sstp-stranger", KeyType.RSA2048, Duration.ofDays(30));
        SstpUmlClient c = fixture.guest(5, stranger, false);
        try {
            assertTrue(c.awaitDone(GUEST_LIMIT), () -> "the guest ended\n" + fixture.why(c));
            assertFalse(c.tunnelAddress().isPresent(), () -> "an untrusted client must not connect\n" + fixture.why(c));
            String log = gw.serverLog();
            assertTrue(log.contains(Certificates.thumbprint(stranger.certificate())), "server log names the thumbprint");
            assertTrue(log.toUpperCase().contains("UNTRUSTED"), "server log gives the reason");
            assertTrue(c.pppdLog().contains("EAP"), () -> "pppd got as far as EAP\n" + fixture.why(c));
        } finally {
            c.close();
        }
    }

    /**
     * The outer HTTPS as OpenSSL's own client sees it (sstpc is built on OpenSSL): TLS 1.3, no NewSessionTicket (no SSTP
     * client resumes; TlsServerContext sets JSSE's switch, read once per process, and this shows that it took effect
     * in the real gateway beside the API's TLS), and the HTTP 200 to the SSTP_DUPLEX_POST in one record (sstp.md §1.2). When sstpc once stalled in CI
     * with that record unread, this is how the gateway's side was checked.
     */
    @Test
    @Order(4)
    void outerTlsAnswersThePreambleWithoutSessionTickets() {
        String request = "SSTP_DUPLEX_POST /sra_{BA195980-CD49-458b-9E23-C84EE0ADCD75}/ HTTP/1.1\\r\\nHost: "
                + Lab.GATEWAY_PUBLIC_ADDRESS + "\\r\\nContent-Length: 18446744073709551615\\r\\n"
                + "SSTPCORRELATIONID: {1352AD3B-6B27-9367-7AC537B4}\\r\\n\\r\\n";
        // s_client ends when its input does: the request goes after the handshake, then 5 s for the answer.
        var r = gw.lab.exec(gw.lab.clientNamespace(1), Duration.ofSeconds(40), List.of("bash", "-c",
                "(sleep 2; printf '" + request + "'; sleep 5) | timeout 20 openssl s_client -connect "
                        + Lab.GATEWAY_PUBLIC_ADDRESS + ":443 -msg 2>&1 | grep -E '^(<<<|>>>|New,|HTTP/)'"));
        String out = r.output();
        assertTrue(out.contains("New, TLSv1.3"), () -> "TLS 1.3 negotiated\n" + out);
        assertTrue(out.contains("HTTP/1.1 200 OK"), () -> "the preamble is answered\n" + out);
        assertFalse(out.contains("NewSessionTicket"), () -> "no session ticket is sent\n" + out);
        System.out.println("[interop] openssl s_client: TLS 1.3, HTTP/1.1 200 OK, no NewSessionTicket");
    }
}
