package io.p2sgw.portal;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.p2sgw.cli.arm.ArmClient;
import io.p2sgw.lab.GatewayServer;
import io.p2sgw.lab.Lab;
import io.p2sgw.lab.OpenVpnClient;
import io.p2sgw.lab.demo.SeedWalkthrough;
import io.p2sgw.pki.CertificateIssuer;
import io.p2sgw.pki.KeyAndChain;
import io.p2sgw.pki.KeyType;
import io.p2sgw.pki.Pem;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * Issue 5 "Done when": the portal shows a connected real OpenVPN client and disconnects it. The gateway jar runs
 * in the lab's gateway namespace, configured through the API as in the seed; the stock {@code openvpn} client
 * connects from a client namespace with the package's profile; headless Chromium on the host signs in to the
 * portal at https://198.51.100.4:8443, finds the session and presses Disconnect. Screenshots go to
 * target/screenshots-real-client.
 */
@Timeout(600) // a guard against hangs; includes waiting for another lab on the host
class RealClientSessionsTest {
    static final Duration WAIT = Duration.ofSeconds(90);
    static final String PORTAL = "https://" + Lab.GATEWAY_PUBLIC_ADDRESS + ":" + GatewayServer.API_PORT + "/portal/";

    @TempDir Path dir;

    static Path jar() {
        Path jar = Path.of(System.getProperty("p2sgw.jar", "../server/target/p2sgw.jar")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the gateway jar " + jar + " is missing: build the server module first");
        }
        return jar;
    }

    @Test
    void aConnectedRealClientIsShownAndDisconnected() throws Exception {
        Optional<String> noLab = Lab.whyUnavailable();
        assumeTrue(noLab.isEmpty(), () -> "skipped: " + noLab.orElse(""));
        Optional<String> noBrowser = Browser.unavailable();
        assumeTrue(noBrowser.isEmpty(), () -> "skipped: " + noBrowser.orElse(""));
        Path jar = jar();
        try (Lab lab = Lab.start(Lab.Options.seed(1))) {
            Path data = lab.newDirectory("gateway-data");
            GatewayServer server = GatewayServer.start(lab, GatewayServer.currentJava(), jar, data, List.of());
            assertTrue(server.awaitApi(WAIT), () -> "the API did not come up:\n" + server.process().tail(40));
            ArmClient arm = new ArmClient(server.clientSettings(), new PrintWriter(Writer.nullWriter()));
            SeedWalkthrough walk = new SeedWalkthrough(arm, s -> System.out.println("[portal-real] " + s));
            walk.createNetwork();
            walk.createGateway();
            CertificateIssuer issuer = CertificateIssuer.withSystemClock();
            KeyAndChain root = issuer.createRoot("P2SRootCert", KeyType.EC256, CertificateIssuer.DEFAULT_ROOT_VALIDITY);
            KeyAndChain client = issuer.createClient(root, "P2SChildCert", KeyType.EC256, CertificateIssuer.DEFAULT_CLIENT_VALIDITY);
            walk.configurePointToSite(root.certificate());
            String template = walk.downloadProfileTemplate(lab.newDirectory("package").resolve("VNet1GW.zip"));
            Path profile = walk.fillProfile(template, client, lab.newDirectory("client1").resolve("vpnconfig.ovpn"));

            OpenVpnClient vpn = lab.startOpenVpn(1, profile, List.of());
            assertTrue(vpn.awaitConnected(WAIT), () -> "client did not connect:\n" + vpn.log());
            String address = vpn.tunnelAddress().orElseThrow();
            assertTrue(address.startsWith("172.16.201."), address);
            // Traffic through the tunnel, so the session's counters are not zero.
            assertTrue(lab.ping(lab.clientNamespace(1), Lab.VM_ADDRESS, Duration.ofSeconds(5)), "the VM answers through the tunnel");

            X509Certificate serverCert = Pem.readCertificates(
                    Files.readString(data.resolve("pki/server.crt"), StandardCharsets.UTF_8)).getFirst();
            String token = Files.readString(data.resolve("admin-token"), StandardCharsets.UTF_8).strip();
            try (Browser browser = new Browser(dir.resolve("browser"), Path.of("target", "screenshots-real-client"), serverCert)) {
                browser.go(PORTAL);
                browser.type(browser.byId("signin-token"), token);
                browser.byId("signin-submit").click();
                browser.textContains(By.id("who-role"), "Contributor");

                // Straight to the sessions page while the page the sign-in leads to is still loading: the portal
                // must show the page navigated to last (it once showed whichever finished loading last).
                String sessionsUrl = PORTAL + "#/virtualNetworkGateways/" + SeedWalkthrough.RESOURCE_GROUP + "/"
                        + SeedWalkthrough.GATEWAY + "/sessions";
                browser.go(sessionsUrl);
                WebElement row;
                try {
                    row = browser.visible(By.cssSelector("tr[data-session^='OpenVPN_']"));
                } catch (org.openqa.selenium.TimeoutException e) {
                    browser.screenshot("00-no-session-row");
                    throw new AssertionError("no session row at " + browser.driver.getCurrentUrl() + "; page:\n"
                            + browser.driver.findElement(By.tagName("body")).getText() + "\nhealth via the API: "
                            + walk.connectionHealth() + "\nclient log tail:\n" + vpn.process().tail(15), e);
                }
                String id = row.getAttribute("data-session");
                String text = row.getText();
                assertTrue(text.contains("P2SChildCert"), "the certificate's CN: " + text);
                assertTrue(text.contains(address), "the pool address the client got: " + text);
                assertTrue(text.contains(lab.clientAddress(1)), "the client's public address: " + text);
                assertTrue(!text.contains("0 B / 0 B"), "the ping's bytes are counted: " + text);
                browser.screenshot("01-real-session");

                row.findElement(By.xpath(".//button[normalize-space()='Disconnect']")).click();
                browser.textContains(By.id("banner"), "Disconnected P2SChildCert");
                browser.until(d -> d.findElements(By.cssSelector("tr[data-session='" + id + "']")).isEmpty(), "session row gone");
                browser.screenshot("02-real-session-disconnected");
            }
            // The real client saw the gateway end its session (it restarts, as after any connection reset).
            assertTrue(vpn.process().awaitLog("process restarting", WAIT), () -> "client log:\n" + vpn.log());
            assertTrue(server.process().logText().contains("disconnected by admin"),
                    () -> "the server log says who disconnected the session:\n" + server.process().tail(30));
        }
    }
}
