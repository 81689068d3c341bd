package io.p2sgw.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.p2sgw.lab.Lab;
import io.p2sgw.lab.SstpUmlClient;
import io.p2sgw.lab.demo.ClientPackage;
import io.p2sgw.lab.instances.TwoInstanceGateway;
import io.p2sgw.pki.Certificates;
import io.p2sgw.pki.KeyAndChain;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 17 for SSTP with real parts: the two-instance lab of {@link TwoInstancesInteropTest} (a PostgreSQL, two p2sgw
 * processes, one active-active gateway) with SSTP enabled next to OpenVPN, and the stock sstpc 1.0.18 + pppd 2.4.9
 * client (EAP-TLS) inside User-Mode Linux calling instance b's public address, trusting the server root from the
 * client package (Windows/VpnServerRoot.cer). Its address comes from b's SSTP slice of the pool (the upper half of b's
 * half, PoolPlan); a's health lists the session; a revocation written through a ends the call on b (LCP
 * Terminate-Request, then CALL_DISCONNECT), and a new call to b is refused (EAP-Failure, CALL_ABORT) with REVOKED in
 * b's log. Bounds are generous, the delays are printed; the lab and PostgreSQL are removed after the class, also on
 * failure. Root only.
 */
@Tag("interop")
@Timeout(600)
class TwoInstancesSstpInteropTest {
    static final int A = TwoInstancesFixture.A;
    static final int B = TwoInstancesFixture.B;
    static final int CLIENT = 1;
    static final String USER = "sstponb";
    /** A guest's whole life: boot (~2-20 s on a busy host), connect, checks, the revocation, power-off. */
    static final Duration GUEST_LIMIT = Duration.ofSeconds(180);

    static TwoInstanceGateway gw;
    static String serverRoot;
    static SstpUmlClient client;

    @BeforeAll
    static void start() {
        gw = TwoInstancesFixture.start(CLIENT, List.of("OpenVPN", "SSTP"), SstpUmlClient.whyUnavailable());
        // What a user of the package gives sstpc (--ca-cert) and pppd (ca): the root of the instances' server
        // certificates, one per store, so it verifies both instances.
        serverRoot = ClientPackage.read(gw.packageZip()).serverRootPem();
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        TwoInstancesFixture.stop(gw);
    }

    private static SstpUmlClient callB(KeyAndChain cert, boolean hold) {
        return SstpUmlClient.startOnInstance(gw.lab(), CLIENT, B, serverRoot, cert, hold, GUEST_LIMIT);
    }

    private static String why(SstpUmlClient c) {
        return c.diagnostics() + "\n--- b's log\n" + gw.server(B).process().tail(40);
    }

    private static Optional<JsonNode> session(int instance) {
        return TwoInstancesFixture.session(gw, instance, USER);
    }

    /**
     * Instance k's log lines containing {@code text} that were logged at or after {@code since}, each prefixed with
     * how long after {@code since} (the log lines start with an ISO-8601 instant).
     */
    private static List<String> linesSince(int k, String text, Instant since) {
        List<String> out = new ArrayList<>();
        for (String line : gw.logLines(k, text)) {
            int space = line.indexOf(' ');
            try {
                Instant at = Instant.parse(line.substring(0, Math.max(0, space)));
                if (!at.isBefore(since)) {
                    out.add("+" + Duration.between(since, at).toMillis() + " ms: " + line.substring(space + 1).strip());
                }
            } catch (DateTimeParseException e) {
                // a continuation line (a stack trace): no timestamp of its own
            }
        }
        return out;
    }

    /** b's log lines refusing {@code thumbprint} as revoked (the policy logs it in lower case). */
    private static List<String> refusals(String thumbprint) {
        return gw.logLines(B, "refused client: REVOKED").stream()
                .filter(l -> l.toLowerCase(Locale.ROOT).contains(thumbprint.toLowerCase(Locale.ROOT))).toList();
    }

    /**
     * Calls b with the revoked certificate and waits for the guest to end; it must get no tunnel. (An sstpc that hangs
     * after "Connected to", sstpc 1.0.18's race, is restarted by the guest itself: SstpUmlClient.)
     */
    private static SstpUmlClient refusedCallToB(KeyAndChain cert) {
        client = callB(cert, false);
        SstpUmlClient c = client;
        assertTrue(c.awaitDone(GUEST_LIMIT), () -> "the refused guest ended\n" + why(c));
        assertFalse(c.tunnelAddress().isPresent(), () -> "a revoked certificate must not connect to b\n" + why(c));
        return c;
    }

    @Test
    void sstpcOnBIsListedThroughAAndARevocationThroughAEndsItOnB() {
        KeyAndChain cert = gw.clientCertificate(USER);
        client = callB(cert, true);
        SstpUmlClient c = client;

        // Connected to b: an address from b's SSTP slice, the VM reachable and served through b.
        assertTrue(c.awaitChecks(GUEST_LIMIT), () -> "the guest did not finish its checks\n" + why(c));
        String address = c.tunnelAddress().orElseThrow(() -> new AssertionError("ppp0 got no address\n" + why(c)));
        System.out.println("[interop] sstpc on " + Lab.gatewayPublicAddress(B) + " got " + address + " (peer "
                + c.peerAddress().orElse("?") + ") from b");
        assertTrue(TwoInstanceGateway.inSstpSlice(address, B), () -> "b gives " + address + ", outside its SSTP slice "
                + TwoInstanceGateway.SSTP_SLICE.get(B) + "\n" + why(c));
        assertTrue(c.pingSucceeded(), () -> "ping 10.1.0.4 through SSTP on b\n" + why(c));
        assertEquals(Optional.of(Lab.VM_INDEX_BODY), c.httpBody(), () -> "HTTP GET of the VM through SSTP on b\n" + why(c));
        List<String> callUp = gw.logLines(B, "SSTP call up");
        assertFalse(callUp.isEmpty(), () -> "b's log has no SSTP call\n" + why(c));
        assertEquals(List.of(), gw.logLines(A, "SSTP call up"), "the call went to b only");
        System.out.println("[interop] b: " + callUp.getFirst().strip());

        // Health through a lists b's SSTP session.
        long listed = TwoInstancesFixture.eventually("a's health lists the SSTP session held by b", () -> session(A).isPresent());
        JsonNode s = session(A).orElseThrow();
        System.out.println("[interop] a's health listed b's SSTP session after " + listed + " ms: " + s);
        assertTrue(s.path("vpnConnectionId").asText().startsWith("SSTP_"), s.toString());
        assertEquals(address, s.path("privateIpAddress").asText(), s.toString());

        // A revocation written through a: b ends the call, pppd hears LCP Terminate-Request and ends.
        String thumbprint = Certificates.thumbprint(cert.certificate());
        Instant callAt = Instant.now();
        long start = System.nanoTime();
        gw.revoke(A, USER, thumbprint);
        long written = System.nanoTime();
        // The guest notices within its 0.2 s hold loop and this poll's 0.2 s; health is read after that.
        assertTrue(c.awaitPppdGone(TwoInstancesFixture.BOUND), () -> "pppd on b's call did not end\n" + why(c));
        long pppdGone = System.nanoTime();
        TwoInstancesFixture.eventually("the SSTP session ends in b's health", () -> session(B).isEmpty());
        long ended = System.nanoTime();
        System.out.printf("[interop] revocation through a: PUT took %d ms; the guest saw ppp0 gone %d ms after the call;"
                + " b's health no longer listed the SSTP session %d ms after the call%n",
                Duration.ofNanos(written - start).toMillis(), Duration.ofNanos(pppdGone - start).toMillis(),
                Duration.ofNanos(ended - start).toMillis());
        // Where the time went, by the instances' own log timestamps (one host clock).
        linesSince(A, "applied snapshot", callAt).forEach(l -> System.out.println("[interop]   a " + l));
        linesSince(B, "applied snapshot", callAt).forEach(l -> System.out.println("[interop]   b " + l));
        linesSince(B, "closed by the gateway", callAt).forEach(l -> System.out.println("[interop]   b " + l));
        assertTrue(c.pppdLog().contains("LCP terminated by peer"), c::pppdLog);
        assertFalse(gw.logLines(B, thumbprint).isEmpty(), "b's log names the revoked thumbprint");
        c.close();

        // A new call to b with the revoked certificate is refused (EAP-Failure, CALL_ABORT), the reason in b's log.
        SstpUmlClient again = refusedCallToB(cert);
        List<String> refused = refusals(thumbprint);
        assertFalse(refused.isEmpty(), () -> "b's log gives REVOKED with the thumbprint\n" + why(again));
        System.out.println("[interop] the reconnect to b was refused: " + refused.getFirst().strip());
        TwoInstancesFixture.eventually("a's health no longer lists the session", () -> session(A).isEmpty());
    }
}
