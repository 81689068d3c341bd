package io.p2sgw.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.p2sgw.lab.Cmd;
import io.p2sgw.lab.Lab;
import io.p2sgw.lab.StrongSwanClient;
import io.p2sgw.pki.Certificates;
import io.p2sgw.pki.KeyAndChain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * EAP-TLS inside IKE_AUTH (RFC 7296 §2.16), the path of Windows' built-in IKEv2 client with certificates, with the
 * stock strongSwan 5.9.8 client (its eap-tls plugin from libcharon-extra-plugins) through the whole product: the
 * package's strongSwan profile with only {@code local { auth = eap-tls }} changed, the gateway still authenticated by
 * its certificate. strongSwan 5.9.8's TLS 1.2 offers no extended master secret (RFC 7627), so the gateway keys it the
 * RFC 5216 way on Bouncy Castle's TLS ({@code tls.eap.Rfc5216Tls12Connection}): JSSE would export nothing. The client gets a pool address and reaches the VM at 10.1.0.4; a revoked client is refused inside
 * EAP-TLS (EAP-Failure, then AUTHENTICATION_FAILED) and the server log says why. Root only (network namespaces).
 */
@Tag("interop")
@Timeout(600)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IkeV2EapTlsInteropTest {
    /** Client namespaces: 1 for the connecting client, 2 for the revoked one. */
    static final int CLIENTS = 2;
    static final Duration INITIATE_TIMEOUT = Duration.ofSeconds(40);
    static SeedGateway gw;
    static Path profile;

    @BeforeAll
    static void start() throws IOException {
        Optional<String> why = Lab.whyUnavailable().or(StrongSwanClient::whyUnavailable);
        assumeTrue(why.isEmpty(), () -> "interop tests skipped: " + why.orElse(""));
        assumeTrue(Files.exists(Path.of("/usr/lib/ipsec/plugins/libstrongswan-eap-tls.so")),
                "strongSwan's eap-tls plugin is not installed (libcharon-extra-plugins)");
        gw = SeedGateway.start(CLIENTS, List.of("OpenVPN", "IkeV2"));
        profile = IkeV2SeedInteropTest.unzipFolder(gw.packageZip, "strongSwan/",
                gw.lab.newDirectory("package-strongswan-eap"));
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    private static String tail(String s, int lines) {
        List<String> l = s.lines().toList();
        return String.join("\n", l.subList(Math.max(0, l.size() - lines), l.size()));
    }

    @Test
    @Order(1)
    void strongSwanWithEapTlsGetsAPoolAddressAndReachesTheVm() {
        StrongSwanClient c = StrongSwanClient.startEapTls(gw.lab, 1, profile, gw.clientCertificate("EapTlsUser"));
        try {
            Cmd.Result r = c.initiate(INITIATE_TIMEOUT);
            assertTrue(r.ok() && r.output().contains("initiate completed successfully"), () -> "did not connect:\n"
                    + r.output() + "\ncharon log:\n" + tail(c.log(), 60) + "\nServer log:\n"
                    + gw.server.process().tail(40));
            String log = c.log();
            // EAP-TLS it was: the gateway started it, the client authenticated with the MSK (RFC 7296 §2.16).
            assertTrue(log.contains("server requested EAP_TLS authentication"), () -> tail(log, 60));
            assertTrue(log.contains("EAP method EAP_TLS succeeded, MSK established"), () -> tail(log, 60));
            String vip = c.virtualAddress().orElseThrow(() -> new AssertionError("no virtual IP: " + tail(log, 40)));
            assertTrue(vip.startsWith("172.16.201."), vip);
            System.out.println("[interop] strongSwan with EAP-TLS got " + vip + "; " + c.listSas().lines()
                    .filter(l -> l.contains("ESTABLISHED") || l.contains("INSTALLED")).map(String::strip).toList());
            assertTrue(gw.lab.ping(gw.lab.clientNamespace(1), Lab.VM_ADDRESS, Duration.ofSeconds(5)), "ping 10.1.0.4");
            assertEquals(Optional.of(Lab.VM_INDEX_BODY),
                    gw.lab.httpGet(gw.lab.clientNamespace(1), "http://" + Lab.VM_ADDRESS + "/", Duration.ofSeconds(10)));
            System.out.println("[interop] ping and HTTP GET of 10.1.0.4 through the EAP-TLS IKEv2 tunnel passed");
            JsonNode s = gw.walk.connectionHealth().stream()
                    .filter(x -> x.path("vpnUserName").asText().equals("EapTlsUser")).findFirst()
                    .orElseThrow(() -> new AssertionError(gw.walk.connectionHealth()));
            assertTrue(s.path("vpnConnectionId").asText().startsWith("IKEv2_"), s.toString());
            assertEquals(vip, s.path("privateIpAddress").asText());
        } finally {
            c.close();
        }
    }

    @Test
    @Order(2)
    void aRevokedClientIsRefusedInsideEapWithTheReasonLogged() {
        KeyAndChain mallory = gw.clientCertificate("RevokedEapUser");
        String thumbprint = Certificates.thumbprint(mallory.certificate());
        gw.walk.revoke("RevokedEapUser", thumbprint);
        StrongSwanClient c = StrongSwanClient.startEapTls(gw.lab, 2, profile, mallory);
        try {
            Cmd.Result r = c.initiate(INITIATE_TIMEOUT);
            assertFalse(r.ok() && r.output().contains("initiate completed successfully"), r.output());
            String log = c.log();
            // One response carries both, EAP-Failure first (charon logs it as "[ EAP/FAIL N(AUTH_FAILED) ]" and
            // reads the notify before the EAP payload).
            assertTrue(log.contains("EAP/FAIL"), () -> "no EAP-Failure:\n" + tail(log, 40)
                    + "\nServer log:\n" + gw.server.process().tail(30));
            assertTrue(r.output().contains("AUTHENTICATION_FAILED") || log.contains("AUTHENTICATION_FAILED"),
                    () -> r.output() + "\n" + tail(log, 40));
            String server = gw.serverLog();
            assertTrue(server.contains(thumbprint), "the server log names the revoked thumbprint");
            assertTrue(server.contains("REVOKED"), "the server log gives the reason");
            System.out.println("[interop] a revoked EAP-TLS client got EAP-Failure and AUTHENTICATION_FAILED; "
                    + "the server log says REVOKED for " + thumbprint);
        } finally {
            c.close();
        }
    }
}
