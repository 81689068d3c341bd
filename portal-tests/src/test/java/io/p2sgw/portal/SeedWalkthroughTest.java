package io.p2sgw.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.p2sgw.server.P2sgwServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The seed walkthrough (seed-p2s-certificate-portal.md, "Example values") done in headless Chromium
 * against an in-JVM p2sgw server: sign in, resource group, VNet1 with FrontEnd and GatewaySubnet,
 * VNet1GWpip, VNet1GW (VpnGw2, Generation2), the point-to-site configuration with a root certificate
 * pasted as PEM, a validation error shown next to the pool field, a revoked thumbprint, the client
 * package download, and the sessions page with Disconnect. Sessions come from {@link FakeDataPlane}:
 * a real OpenVPN client is not connected here. Also: a 400 px window without sideways scrolling,
 * keyboard-only use (Tab reaches the controls; focus survives the sessions page's refreshes), a
 * read-only token, and no Content-Security-Policy refusals. Chromium trusts only the server's key.
 * Screenshots go to target/screenshots (replaced on each run).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SeedWalkthroughTest {
    static final String SUB = "00000000-0000-0000-0000-000000000000";
    static final String RG = "TestRG1";
    /** The gateway's public address as the server announces it (TEST-NET-2; nothing is sent there). */
    static final String PUBLIC_ADDRESS = "198.51.100.4";
    static final String GW_PATH = "/subscriptions/" + SUB + "/resourceGroups/" + RG
            + "/providers/Microsoft.Network/virtualNetworkGateways/VNet1GW";
    /** Gateway creation is a long-running operation; the server may simulate provisioning time. */
    static final Duration PROVISIONING_WAIT = Duration.ofSeconds(180);
    /** Tab presses allowed to reach a control from the top of the page. */
    static final int MAX_TABS = 60;
    /** The sign-in card is 480 px wide at most; at 1280 px it must not be squeezed (the sidebar column is 230 px). */
    static final int SIGN_IN_MIN_WIDTH = 400;

    private Path work;
    private P2sgwServer server;
    private Browser browser;
    private AdminApi api;
    private final FakeDataPlane dataPlane = new FakeDataPlane();
    private TestCertificates certs;
    private TestCertificates second;
    private String portal;
    private int shot;

    @BeforeAll
    void start(@TempDir Path tempDir) throws Exception {
        work = tempDir;
        Optional<String> why = Browser.unavailable();
        Assumptions.assumeTrue(why.isEmpty(), () -> "portal tests skipped: " + why.orElse(""));
        certs = TestCertificates.create("P2SRootCert", "P2SChildCert", Duration.ofDays(20));
        second = TestCertificates.create("P2SRootCert2", "P2SChildCert2", Duration.ofDays(730));
        server = P2sgwServer.builder()
                .dataDir(work.resolve("data"))
                .apiListen(new InetSocketAddress("127.0.0.1", 0))
                .publicAddress(PUBLIC_ADDRESS)
                .dataPlane(dataPlane)
                .build();
        server.start();
        portal = server.apiBaseUri().toString().replaceAll("/+$", "") + "/portal/";
        api = new AdminApi(server.apiBaseUri(), server.adminToken(), server.caCertificate());
        browser = new Browser(work.resolve("browser"), Path.of("target", "screenshots"), api.serverCertificate());
    }

    @AfterAll
    void stop() {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    private void screenshot(String name) throws IOException {
        browser.screenshot(String.format("%02d-%s", ++shot, name));
    }

    private void go(String hash) {
        browser.go(portal + "#" + hash);
        browser.visible(By.cssSelector("main h1"));
    }

    private void submit(String formId) {
        browser.byId(formId + "-submit").click();
    }

    @Test
    @Order(1)
    void signInWithTheAdminToken() throws IOException {
        browser.go(server.apiBaseUri().toString()); // "/" redirects to the portal
        browser.until(d -> d.getCurrentUrl().contains("/portal/"), "redirect from / to /portal/");
        WebElement signIn = browser.visible(By.cssSelector("form.signin"));
        assertFalse(browser.driver.findElement(By.id("sign-out")).isDisplayed(), "no Sign out before signing in");
        assertFalse(browser.driver.findElement(By.id("nav")).isDisplayed(), "no navigation before signing in");
        assertTrue(signIn.getRect().getWidth() >= SIGN_IN_MIN_WIDTH, "the sign-in card has the page's width, not a sidebar's: " + signIn.getRect());
        browser.type(browser.byId("signin-token"), "not-a-token");
        submit("signin");
        browser.textContains(By.id("signin-token-error"), "not accepted");
        screenshot("signin-rejected");
        browser.type(browser.byId("signin-token"), server.adminToken());
        submit("signin");
        browser.textContains(By.id("who-role"), "Contributor");
        assertTrue(browser.byId("nav").isDisplayed());
        screenshot("signed-in");
    }

    @Test
    @Order(2)
    void createResourceGroup() throws IOException {
        go("/resourceGroups");
        browser.type(browser.byId("rg-name"), RG);
        new Select(browser.byId("rg-location")).selectByValue("eastus");
        submit("rg-create");
        browser.textContains(By.cssSelector("table tbody"), RG);
        screenshot("resource-group");
    }

    @Test
    @Order(3)
    void createVirtualNetworkWithFrontEndAndGatewaySubnet() throws Exception {
        go("/virtualNetworks");
        // Placeholders are examples that do not pass for values (issue 16: "10.1.0.0/16" looked filled in).
        for (WebElement in : browser.driver.findElements(By.cssSelector("#vnet-create input[placeholder]"))) {
            String placeholder = in.getDomAttribute("placeholder");
            assertTrue(placeholder.startsWith("e.g. ") || placeholder.contains(" "), "placeholder looks like a value: " + placeholder);
        }
        // The empty form is checked before anything is sent (issue 16: it sent a nameless PUT).
        submit("vnet-create");
        browser.textContains(By.id("vnet-name-error"), "Name is required.");
        browser.textContains(By.id("vnet-space-error"), "Address space is required.");
        assertEquals(0, api.get("/subscriptions/" + SUB + "/resourceGroups/" + RG + "/providers/Microsoft.Network/virtualNetworks")
                .path("value").size(), "nothing was sent");
        new Select(browser.byId("vnet-rg")).selectByValue(RG);
        browser.type(browser.byId("vnet-name"), "VNet1");
        browser.type(browser.byId("vnet-space"), "10.1.0.0/16");
        browser.type(browser.byId("vnet-subnet-name-0"), "FrontEnd");
        browser.type(browser.byId("vnet-subnet-prefix-0"), "10.1.0.0/24");
        browser.byId("vnet-add-gateway-subnet").click();
        assertEquals("GatewaySubnet", browser.byId("vnet-subnet-name-1").getDomProperty("value"));
        // A free /27 inside the space is proposed (issue 16), the docs' 10.1.255.0/27 for 10.1.0.0/16.
        assertEquals("10.1.255.0/27", browser.byId("vnet-subnet-prefix-1").getDomProperty("value"));
        browser.type(browser.byId("vnet-subnet-prefix-1"), "10.1.255.0/27");
        screenshot("vnet-form");
        submit("vnet-create");
        String rows = browser.textContains(By.cssSelector("table tbody"), "VNet1");
        assertTrue(rows.contains("10.1.0.0/16"), rows);
        assertTrue(rows.contains("GatewaySubnet 10.1.255.0/27"), rows);
        assertTrue(rows.contains("FrontEnd 10.1.0.0/24"), rows);
        JsonNode vnet = api.get("/subscriptions/" + SUB + "/resourceGroups/" + RG + "/providers/Microsoft.Network/virtualNetworks/VNet1");
        assertEquals("10.1.0.0/16", vnet.at("/properties/addressSpace/addressPrefixes/0").asText());
        screenshot("vnet-created");
    }

    @Test
    @Order(4)
    void createPublicIp() throws IOException {
        go("/publicIPAddresses");
        new Select(browser.byId("pip-rg")).selectByValue(RG);
        browser.type(browser.byId("pip-name"), "VNet1GWpip");
        submit("pip-create");
        browser.textContains(By.cssSelector("table tbody"), "VNet1GWpip");
        screenshot("public-ip");
    }

    @Test
    @Order(5)
    void createGatewayVpnGw2Generation2() throws Exception {
        go("/virtualNetworkGateways");
        new Select(browser.byId("gw-rg")).selectByValue(RG);
        browser.type(browser.byId("gw-name"), "VNet1GW");
        // VpnGw1 and Basic are offered (issue 16); picking a Generation1-only SKU switches the generation.
        Select skus = new Select(browser.byId("gw-sku"));
        List<String> offered = skus.getOptions().stream().map(o -> o.getDomProperty("value")).toList();
        assertTrue(offered.contains("VpnGw1") && offered.contains("Basic") && offered.contains("VpnGw5"), offered.toString());
        skus.selectByValue("VpnGw1");
        assertEquals("Generation1", new Select(browser.byId("gw-generation")).getFirstSelectedOption().getDomProperty("value"));
        new Select(browser.byId("gw-generation")).selectByValue("Generation2");
        new Select(browser.byId("gw-sku")).selectByValue("VpnGw2");
        browser.until(d -> !new Select(d.findElement(By.id("gw-vnet"))).getOptions().isEmpty()
                && d.findElement(By.id("gw-vnet")).getText().contains("GatewaySubnet"), "VNet1 offered with its GatewaySubnet");
        new Select(browser.byId("gw-vnet")).selectByValue("VNet1");
        new Select(browser.byId("gw-pip")).selectByValue("VNet1GWpip");
        screenshot("gateway-form");
        submit("gw-create");
        new org.openqa.selenium.support.ui.WebDriverWait(browser.driver, PROVISIONING_WAIT)
                .withMessage("gateway provisioning state Succeeded on the Overview")
                .until(d -> d.findElements(By.id("provisioning-state")).stream().anyMatch(e -> e.getText().equals("Succeeded")));
        String essentials = browser.visible(By.cssSelector("dl.essentials")).getText();
        assertTrue(essentials.contains("VpnGw2"), essentials);
        assertTrue(essentials.contains("Generation2"), essentials);
        assertTrue(essentials.contains("VNet1"), essentials);
        // No stray "null" where the (absent) expiry warnings would be (issue 16).
        String overview = browser.byId("page").getText();
        assertFalse(overview.contains("null"), overview);
        screenshot("gateway-overview-new");
    }

    @Test
    @Order(6)
    void configurePointToSiteWithPastedRootCertificate() throws Exception {
        go("/virtualNetworkGateways/" + RG + "/VNet1GW/pointToSite");
        browser.type(browser.byId("p2s-pool"), "172.16.201.0/24");
        new Select(browser.byId("p2s-tunnel")).selectByValue("OpenVPN");
        assertEquals("Certificate", new Select(browser.byId("p2s-auth")).getFirstSelectedOption().getDomProperty("value"));
        WebElement data = browser.visible(By.cssSelector("tr[data-root-row=new] textarea[data-root-data]"));
        browser.paste(data, certs.rootPem());
        // The pasted PEM is cleaned to the one-line Base-64 of the DER, and the subject and expiry show before saving.
        browser.until(d -> TestCertificatesData.equals(data.getDomProperty("value"), certs), "PEM cleaned to one line");
        String details = browser.textContains(By.cssSelector("tr[data-root-row=new] .cert-details"), "CN=P2SRootCert");
        assertTrue(details.contains("Expires"), details);
        WebElement name = browser.visible(By.cssSelector("tr[data-root-row=new] input[data-root-name]"));
        browser.type(name, "P2SRootCert");
        // A second root as a binary .cer file through the file input: read, converted to Base-64, described.
        Path cer = work.resolve("P2SRootCert2.cer");
        Files.write(cer, second.root().getEncoded());
        By lastRow = By.xpath("(//tr[@data-root-row='new'])[last()]");
        browser.visible(lastRow).findElement(By.cssSelector("input[type=file]")).sendKeys(cer.toString());
        browser.textContains(By.cssSelector("tr[data-root-row=new] .cert-details"), "CN=P2SRootCert2");
        screenshot("p2s-root-pasted");
        browser.byId("p2s-save").click();
        browser.textContains(By.id("banner"), "Point-to-site configuration saved");
        JsonNode cfg = api.get(GW_PATH).at("/properties/vpnClientConfiguration");
        assertEquals("172.16.201.0/24", cfg.at("/vpnClientAddressPool/addressPrefixes/0").asText());
        assertEquals("OpenVPN", cfg.at("/vpnClientProtocols/0").asText());
        assertEquals("Certificate", cfg.at("/vpnAuthenticationTypes/0").asText());
        assertEquals("P2SRootCert", cfg.at("/vpnClientRootCertificates/0/name").asText());
        assertEquals(TestCertificates.publicCertData(certs.root()), cfg.at("/vpnClientRootCertificates/0/properties/publicCertData").asText());
        assertEquals("P2SRootCert2", cfg.at("/vpnClientRootCertificates/1/name").asText());
        assertEquals(TestCertificates.publicCertData(second.root()), cfg.at("/vpnClientRootCertificates/1/properties/publicCertData").asText());
        browser.visible(By.cssSelector("tr[data-root-row=saved]"));
        // What the portal saved reaches the data plane: the pool and both roots.
        List<String> rootThumbprints = List.of(TestCertificates.thumbprint(certs.root()), TestCertificates.thumbprint(second.root()));
        browser.until(d -> dataPlane.lastSnapshot().filter(snap -> snap.addressPool().contains("172.16.201.0/24")
                && snap.trustedCertificates().stream().map(t -> t.thumbprint().toLowerCase(java.util.Locale.ROOT)).toList()
                        .containsAll(rootThumbprints)).isPresent(), "the pool and both roots in the snapshot the data plane applied");
        screenshot("p2s-saved");
    }

    @Test
    @Order(7)
    void poolOverlappingTheVnetIsShownNextToThePoolField() throws Exception {
        go("/virtualNetworkGateways/" + RG + "/VNet1GW/pointToSite");
        browser.type(browser.byId("p2s-pool"), "10.1.128.0/24");
        browser.byId("p2s-save").click();
        String error = browser.until(d -> {
            WebElement e = d.findElement(By.id("p2s-pool-error"));
            return e.isDisplayed() && !e.getText().isBlank() ? e.getText() : null;
        }, "the API's validation message under the Address pool field");
        assertTrue(error.toLowerCase(java.util.Locale.ROOT).contains("overlap"), error);
        assertEquals("true", browser.byId("p2s-pool").getDomAttribute("aria-invalid"));
        screenshot("p2s-pool-overlap-error");
        assertEquals("172.16.201.0/24", api.get(GW_PATH).at("/properties/vpnClientConfiguration/vpnClientAddressPool/addressPrefixes/0").asText());
        // A root that is not a CA is accepted as Azure does, but shown with a warning, not in a good root's green.
        WebElement data = browser.visible(By.cssSelector("tr[data-root-row=new] textarea[data-root-data]"));
        browser.paste(data, TestCertificates.pem(certs.client()));
        String details = browser.textContains(By.cssSelector("tr[data-root-row=new] .cert-details"), "CN=P2SChildCert");
        assertTrue(details.contains("Warning: this is not a CA certificate"), details);
        assertTrue(browser.driver.findElement(By.cssSelector("tr[data-root-row=new] .cert-details")).getDomAttribute("class").contains("warn"));
        screenshot("p2s-root-not-a-ca");
        browser.byId("p2s-discard").click();
        browser.until(d -> "172.16.201.0/24".equals(d.findElement(By.id("p2s-pool")).getDomProperty("value")), "discard restores the pool");

        // Leaving with unsaved edits asks first (issue 16): staying keeps the page and the edit, leaving leaves.
        browser.type(browser.byId("p2s-pool"), "172.16.202.0/24");
        browser.driver.findElement(By.cssSelector("a[data-nav=virtualNetworks]")).click();
        Alert ask = new org.openqa.selenium.support.ui.WebDriverWait(browser.driver, Browser.WAIT)
                .until(ExpectedConditions.alertIsPresent());
        assertTrue(ask.getText().contains("not saved"), ask.getText());
        ask.dismiss();
        assertTrue(browser.driver.getCurrentUrl().endsWith("/pointToSite"), browser.driver.getCurrentUrl());
        assertEquals("172.16.202.0/24", browser.byId("p2s-pool").getDomProperty("value"));
        browser.driver.findElement(By.cssSelector("a[data-nav=virtualNetworks]")).click();
        new org.openqa.selenium.support.ui.WebDriverWait(browser.driver, Browser.WAIT).until(ExpectedConditions.alertIsPresent()).accept();
        browser.textContains(By.cssSelector("main h1"), "Virtual networks");
        assertEquals("172.16.201.0/24", api.get(GW_PATH).at("/properties/vpnClientConfiguration/vpnClientAddressPool/addressPrefixes/0").asText());
    }

    @Test
    @Order(8)
    void revokeAClientThumbprintPastedWithSpaces() throws Exception {
        go("/virtualNetworkGateways/" + RG + "/VNet1GW/pointToSite");
        WebElement name = browser.visible(By.cssSelector("tr[data-revoked-row=new] input[data-revoked-name]"));
        WebElement thumb = browser.visible(By.cssSelector("tr[data-revoked-row=new] input[data-revoked-thumb]"));
        browser.type(name, "P2SChildCert");
        browser.paste(thumb, TestCertificates.windowsStyleThumbprint(certs.client()));
        String expected = TestCertificates.thumbprint(certs.client());
        assertEquals(expected, thumb.getDomProperty("value"));
        browser.byId("p2s-save").click();
        browser.textContains(By.id("banner"), "Point-to-site configuration saved");
        JsonNode revoked = api.get(GW_PATH).at("/properties/vpnClientConfiguration/vpnClientRevokedCertificates/0");
        assertEquals("P2SChildCert", revoked.at("/name").asText());
        assertEquals(expected, revoked.at("/properties/thumbprint").asText().toLowerCase(java.util.Locale.ROOT));
        // Saved means published: the data plane now refuses that client certificate.
        browser.until(d -> dataPlane.lastSnapshot().filter(snap -> snap.revokedThumbprints().contains(expected)).isPresent(),
                "the revoked thumbprint in the snapshot the data plane applied");
        screenshot("p2s-revoked");
    }

    @Test
    @Order(9)
    void downloadTheVpnClientPackage() throws Exception {
        go("/virtualNetworkGateways/" + RG + "/VNet1GW/pointToSite");
        browser.byId("p2s-download").click();
        browser.textContains(By.id("p2s-status"), "Downloaded VNet1GW.zip");
        Path zip = browser.until(d -> {
            try (Stream<Path> files = Files.list(browser.downloads)) {
                return files.filter(p -> p.getFileName().toString().equals("VNet1GW.zip")).findFirst().orElse(null);
            } catch (IOException e) {
                return null;
            }
        }, "VNet1GW.zip in the download directory");
        byte[] downloaded = Files.readAllBytes(zip);
        Map<String, String> entries = zipEntries(downloaded);
        // OpenVPN only (the tunnel type saved above): Azure's OpenVPN folder, no IKEv2 files (azure-p2s.md §3.2).
        assertTrue(entries.containsKey("README.txt"), entries.keySet().toString());
        assertTrue(entries.containsKey("OpenVPN/vpnconfig.ovpn"), entries.keySet().toString());
        assertTrue(entries.containsKey("AzureVPN/azurevpnconfig.xml"), entries.keySet().toString());
        assertTrue(entries.keySet().stream().noneMatch(n -> n.startsWith("Generic/") || n.startsWith("strongSwan/")),
                entries.keySet().toString());
        String ovpn = entries.get("OpenVPN/vpnconfig.ovpn");
        assertTrue(ovpn.contains("VNet1GW"), ovpn);
        assertTrue(ovpn.contains("remote " + PUBLIC_ADDRESS + " 443"), ovpn);
        assertTrue(ovpn.contains("route 10.1.0.0 255.255.0.0"), ovpn); // the VNet's address space
        assertTrue(ovpn.contains("route 172.16.201.0 255.255.255.0"), ovpn); // the pool saved above
        String ca = ovpn.substring(ovpn.indexOf("<ca>") + "<ca>".length(), ovpn.indexOf("</ca>")).trim();
        assertEquals(TestCertificates.pem(server.caCertificate()).replace("\r\n", "\n").trim(), ca.replace("\r\n", "\n"),
                "the profile trusts the gateway's CA");
        assertTrue(ovpn.contains("$CLIENTCERTIFICATE") && ovpn.contains("$PRIVATEKEY"), "placeholders for the client's own credentials");
        // The blob URL the portal downloads through must not alter a byte: the same package straight from the API.
        assertEquals(HexFormat.of().formatHex(sha256(api.clientPackage(GW_PATH))), HexFormat.of().formatHex(sha256(downloaded)),
                "the downloaded zip is the API's package, byte for byte");
        screenshot("p2s-downloaded");
    }

    @Test
    @Order(10)
    void overviewFlagsTheRootExpiringWithin30Days() throws IOException {
        go("/virtualNetworkGateways/" + RG + "/VNet1GW");
        String warning = browser.textContains(By.id("expiry-warnings"), "P2SRootCert");
        assertTrue(warning.contains("in 19 days") || warning.contains("in 20 days"), warning);
        assertEquals("OpenVPN", browser.byId("tunnel-types").getText());
        browser.visible(By.cssSelector("figure.diagram svg"));
        screenshot("gateway-overview-configured");
    }

    @Test
    @Order(11)
    void sessionsPageShowsTheSessionAndDisconnectsIt() throws IOException {
        String id = dataPlane.connect("P2SChildCert", "172.16.201.2");
        // The browser 14 hours off UTC (issue 16): the "updated" time must be UTC like the table's, not local time.
        browser.driver.executeCdpCommand("Emulation.setTimezoneOverride", Map.of("timezoneId", "Pacific/Kiritimati"));
        go("/virtualNetworkGateways/" + RG + "/VNet1GW");
        browser.until(d -> d.findElement(By.id("connected-clients")).getText().equals("1"), "live count of connected clients");
        browser.visible(By.cssSelector("a[data-tab=sessions]")).click();
        WebElement row = browser.visible(By.cssSelector("tr[data-session='" + id + "']"));
        String text = row.getText();
        assertTrue(text.contains("P2SChildCert"), text);
        assertTrue(text.contains("172.16.201.2"), text);
        assertTrue(text.contains("OpenVPN"), text);
        assertTrue(text.contains("00:12:"), text); // connected 754 s ago
        assertUpdatedInUtc(browser.byId("sessions-updated").getText());
        browser.driver.executeCdpCommand("Emulation.setTimezoneOverride", Map.of("timezoneId", ""));
        // The chart needs two polls; the page polls every 5 s by itself.
        browser.visible(By.cssSelector("#traffic-chart polyline.ingress"));
        screenshot("sessions");
        row.findElement(By.xpath(".//button[normalize-space()='Disconnect']")).click();
        browser.textContains(By.id("banner"), "Disconnected P2SChildCert");
        browser.until(d -> d.findElements(By.cssSelector("tr[data-session='" + id + "']")).isEmpty(), "session row gone");
        assertEquals(List.of(id), dataPlane.disconnectedIds());
        screenshot("sessions-disconnected");
    }

    @Test
    @Order(12)
    void narrowWindowNeedsNoSidewaysScrolling() throws IOException {
        // A session, so the sessions table is laid out with a row (stacked as a card on a narrow window).
        String id = dataPlane.connect("NarrowWindowUser", "172.16.201.5");
        browser.resize(Browser.NARROW);
        try {
            for (Map.Entry<String, String> page : List.of(
                    Map.entry("narrow-p2s", "/virtualNetworkGateways/" + RG + "/VNet1GW/pointToSite"),
                    Map.entry("narrow-overview", "/virtualNetworkGateways/" + RG + "/VNet1GW"),
                    Map.entry("narrow-sessions", "/virtualNetworkGateways/" + RG + "/VNet1GW/sessions"),
                    Map.entry("narrow-vnets", "/virtualNetworks"))) {
                go(page.getValue());
                if (page.getKey().equals("narrow-sessions")) {
                    browser.visible(By.cssSelector("tr[data-session='" + id + "'] button"));
                }
                assertTrue(browser.viewportWidth() <= Browser.NARROW.width, "narrow viewport");
                assertTrue(browser.fitsViewport(), page.getKey() + " is wider than the window");
                screenshot(page.getKey());
            }
        } finally {
            browser.resize(Browser.WIDE);
        }
    }

    @Test
    @Order(13)
    void keyboardOnlyCreatesAResourceGroup() throws IOException {
        go("/resourceGroups");
        startFromTop();
        tabTo("rg-name");
        new Actions(browser.driver).sendKeys("KeyboardRG").perform();
        tabTo("rg-create-submit");
        String outline = (String) browser.js("return getComputedStyle(document.activeElement).outlineStyle;");
        assertEquals("solid", outline, "keyboard focus is visible");
        screenshot("keyboard-focus");
        new Actions(browser.driver).sendKeys(Keys.ENTER).perform();
        browser.textContains(By.cssSelector("table tbody"), "KeyboardRG");
    }

    private void tabTo(String id) {
        tabUntil("document.activeElement && document.activeElement.id === arguments[0]", "#" + id, id);
    }

    /** Presses Tab until {@code condition} (a JS expression over document.activeElement) holds. */
    private void tabUntil(String condition, String what, Object... args) {
        for (int i = 0; i < MAX_TABS; i++) {
            new Actions(browser.driver).sendKeys(Keys.TAB).perform();
            if (Boolean.TRUE.equals(browser.js("return Boolean(" + condition + ");", args))) {
                return;
            }
        }
        throw new AssertionError(what + " not reached with " + MAX_TABS + " Tab presses");
    }

    private void startFromTop() {
        browser.js("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0);");
    }

    @Test
    @Order(14)
    void keyboardOnlyConfigurationControlsAreReachable() throws IOException {
        go("/virtualNetworkGateways/" + RG + "/VNet1GW/pointToSite");
        startFromTop();
        tabTo("p2s-save");
        tabTo("p2s-download");
        tabTo("p2s-pool");
        tabTo("p2s-tunnel");
        tabUntil("document.activeElement.matches('tr[data-revoked-row=new] input[data-revoked-thumb]')", "the thumbprint field of a new revoked row");
        screenshot("keyboard-p2s");
    }

    @Test
    @Order(15)
    void keyboardOnlyDisconnectKeepsFocusAcrossRefreshes() throws IOException {
        String id = dataPlane.connect("KeyboardUser", "172.16.201.4");
        go("/virtualNetworkGateways/" + RG + "/VNet1GW/sessions");
        browser.visible(By.cssSelector("tr[data-session='" + id + "']"));
        startFromTop();
        String onDisconnect = "document.activeElement.closest('tr[data-session]')?.dataset.session === arguments[0]"
                + " && document.activeElement.textContent.trim() === 'Disconnect'";
        tabUntil(onDisconnect, "the Disconnect button of " + id, id);
        // The page refreshes by itself; the focused button must survive that (rows are updated in place).
        long before = refreshes();
        browser.until(d -> refreshes() > before, "an automatic refresh of the sessions table");
        assertTrue((Boolean) browser.js("return Boolean(" + onDisconnect + ");", id), "focus stays on Disconnect after a refresh");
        assertEquals("solid", browser.js("return getComputedStyle(document.activeElement).outlineStyle;"), "keyboard focus is visible");
        screenshot("keyboard-disconnect");
        new Actions(browser.driver).sendKeys(Keys.ENTER).perform();
        browser.textContains(By.id("banner"), "Disconnected KeyboardUser");
        browser.until(d -> d.findElements(By.cssSelector("tr[data-session='" + id + "']")).isEmpty(), "session row gone");
        assertTrue(dataPlane.disconnectedIds().contains(id), dataPlane.disconnectedIds().toString());
    }

    /**
     * "1 session · updated 13:02:04 UTC": the time is UTC (the table's zone, its header says so), so it is within
     * minutes of the test's own UTC clock, never the 14 hours the browser's zone is off.
     */
    private static void assertUpdatedInUtc(String updated) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("updated (\\d{2}):(\\d{2}):(\\d{2}) UTC$").matcher(updated);
        assertTrue(m.find(), "the refresh time is shown as HH:MM:SS UTC: " + updated);
        int shown = Integer.parseInt(m.group(1)) * 60 + Integer.parseInt(m.group(2));
        java.time.LocalTime now = java.time.LocalTime.now(java.time.ZoneOffset.UTC);
        int diff = Math.abs(now.getHour() * 60 + now.getMinute() - shown);
        assertTrue(Math.min(diff, 24 * 60 - diff) <= 60, "the refresh time " + updated + " is UTC (now " + now + " UTC)");
    }

    private long refreshes() {
        return Long.parseLong((String) browser.js("return document.getElementById('sessions-updated').dataset.refreshes || '0';"));
    }

    @Test
    @Order(16)
    void readerTokenSeesTheConfigurationButCannotChangeAnything() throws Exception {
        String readerToken = api.post("/providers/P2sgw/tokens", Map.of("name", "auditor", "role", "Reader")).get("token").asText();
        dataPlane.connect("ReaderVisibleUser", "172.16.201.3");
        browser.byId("sign-out").click();
        browser.type(browser.byId("signin-token"), readerToken);
        submit("signin");
        browser.textContains(By.id("who-role"), "read-only");

        go("/resourceGroups");
        browser.textContains(By.cssSelector("table tbody"), RG);
        assertTrue(browser.driver.findElements(By.id("rg-create")).isEmpty(), "no create form for a Reader");
        assertTrue(browser.driver.findElements(By.xpath("//button[normalize-space()='Delete']")).isEmpty(), "no delete buttons");
        go("/virtualNetworks");
        browser.textContains(By.cssSelector("table tbody"), "VNet1");
        assertTrue(browser.driver.findElements(By.id("vnet-create")).isEmpty());
        go("/virtualNetworkGateways");
        browser.textContains(By.cssSelector("table tbody"), "VNet1GW");
        assertTrue(browser.driver.findElements(By.id("gw-create")).isEmpty());

        go("/virtualNetworkGateways/" + RG + "/VNet1GW/pointToSite");
        assertEquals("172.16.201.0/24", browser.byId("p2s-pool").getDomProperty("value"));
        assertFalse(browser.byId("p2s-save").isEnabled(), "Save is disabled");
        assertFalse(browser.byId("p2s-download").isEnabled(), "Download is disabled");
        assertEquals("true", browser.byId("p2s-pool").getDomProperty("readOnly"));
        assertTrue(browser.driver.findElements(By.cssSelector("tr[data-root-row=new]")).isEmpty(), "no row to add a root");
        browser.visible(By.cssSelector("tr[data-root-row=saved]"));
        screenshot("reader-p2s");

        // As in Azure (azure-p2s.md §6.1; issue 13), session health needs Contributor: the API refuses a Reader,
        // and the sessions page says why it shows none instead of an empty table.
        go("/virtualNetworkGateways/" + RG + "/VNet1GW/sessions");
        browser.textContains(By.id("sessions-forbidden"), "Contributor role");
        String why = browser.byId("sessions-forbidden").getText();
        assertTrue(why.contains("Reader"), why);
        assertFalse(browser.driver.getPageSource().contains("ReaderVisibleUser"), "no session of anyone is shown");
        assertTrue(browser.driver.findElements(By.id("sessions-table")).isEmpty(), "no empty table for a Reader");
        assertTrue(browser.driver.findElements(By.xpath("//button[normalize-space()='Disconnect']")).isEmpty(), "no Disconnect for a Reader");
        assertEquals(403, api.postStatusAs(readerToken, GW_PATH + "/getVpnClientConnectionHealth"),
                "the API refuses a Reader too");
        screenshot("reader-sessions");
        go("/virtualNetworkGateways/" + RG + "/VNet1GW");
        browser.textContains(By.id("connected-clients"), "needs the Contributor role");
    }

    @Test
    @Order(17)
    void portalRunsUnderItsContentSecurityPolicy() {
        // Everything above ran under the portal's CSP (script-src 'self', connect-src 'self', ...): nothing refused.
        assertEquals(List.of(), browser.cspRefusals(), "CSP refusals during the walkthrough");
        // Negative control: the policy is in force and a refusal would have been seen.
        Object ran = browser.js("const s = document.createElement('script'); s.textContent = 'window.inlineRan = true;';"
                + " document.head.append(s); return window.inlineRan === true;");
        assertEquals(Boolean.FALSE, ran, "an inline script must not run under the portal's CSP");
        browser.until(d -> browser.cspRefusals().isEmpty() ? null : true, "the console reports the refused inline script");
    }

    /** Name → text of each file in a zip (the package is small text files plus DER certificates). */
    static Map<String, String> zipEntries(byte[] zip) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                out.put(e.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    static byte[] sha256(byte[] data) throws NoSuchAlgorithmException {
        return MessageDigest.getInstance("SHA-256").digest(data);
    }

    /** Compares the cleaned field value with the certificate's one-line Base-64. */
    static final class TestCertificatesData {
        static boolean equals(String value, TestCertificates c) {
            try {
                return TestCertificates.publicCertData(c.root()).equals(value);
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private void signInAsAdmin() {
        go("/resourceGroups");
        if (browser.byId("who-role").getText().contains("Contributor")) {
            return;
        }
        browser.byId("sign-out").click();
        browser.type(browser.byId("signin-token"), server.adminToken());
        submit("signin");
        browser.textContains(By.id("who-role"), "Contributor");
    }

    private static String rgPath() {
        return "/subscriptions/" + SUB + "/resourceGroups/" + RG + "/providers/Microsoft.Network";
    }

    /** A VNet with a GatewaySubnet, a public IP, both made through the API. */
    private void vnetWithGatewaySubnet(String name, String space, String gatewaySubnet) throws Exception {
        api.put(rgPath() + "/virtualNetworks/" + name, """
                {"location":"eastus","properties":{"addressSpace":{"addressPrefixes":["%s"]},
                 "subnets":[{"name":"GatewaySubnet","properties":{"addressPrefix":"%s"}}]}}""".formatted(space, gatewaySubnet));
    }

    private void publicIp(String name) throws Exception {
        api.put(rgPath() + "/publicIPAddresses/" + name,
                "{\"location\":\"eastus\",\"sku\":{\"name\":\"Standard\"},\"properties\":{\"publicIPAllocationMethod\":\"Static\"}}");
    }

    /**
     * What this server serves, on the gateway's Overview (issue 16): that it is this gateway, the public address and
     * ports clients use, and each enabled tunnel type's listener from the status endpoint.
     */
    @Test
    @Order(18)
    void overviewShowsWhatThisServerServes() throws IOException {
        signInAsAdmin();
        go("/virtualNetworkGateways/" + RG + "/VNet1GW");
        browser.textContains(By.id("host-served-gateway"), "This server serves this gateway.");
        assertEquals(PUBLIC_ADDRESS, browser.byId("host-public-address").getText());
        String ports = browser.byId("host-ports").getText();
        assertTrue(ports.contains("TCP 443 (OpenVPN, SSTP)") && ports.contains("UDP 1194 (OpenVPN)")
                && ports.contains("UDP 500 and 4500 (IKEv2)"), ports);
        String listeners = browser.visible(By.cssSelector("#host-serves table tbody")).getText().replaceAll("\\s+", " ");
        assertTrue(listeners.contains("OpenVPN Served served on TCP 443 and UDP 1194"), listeners);
        assertTrue(listeners.contains("IkeV2 Not served not served yet"), listeners);
        screenshot("gateway-overview-host");
    }

    /**
     * Public IPs show the gateway that uses them (the API's ipConfiguration back-reference), and the gateway form
     * offers only public IPs no gateway uses (issue 16).
     */
    @Test
    @Order(19)
    void publicIpsShowTheirGatewayAndUsedOnesAreNotOffered() throws Exception {
        signInAsAdmin();
        publicIp("SpareGWpip");
        go("/publicIPAddresses");
        WebElement used = browser.visible(By.xpath("//tbody/tr[td[1][normalize-space()='VNet1GWpip']]"));
        assertEquals("VNet1GW", used.findElement(By.cssSelector("td[data-label=Associated] a")).getText());
        WebElement spare = browser.visible(By.xpath("//tbody/tr[td[1][normalize-space()='SpareGWpip']]"));
        assertEquals("", spare.findElement(By.cssSelector("td[data-label=Associated]")).getText());
        screenshot("public-ips-associated");

        go("/virtualNetworkGateways");
        new Select(browser.byId("gw-rg")).selectByValue(RG);
        browser.until(d -> d.findElement(By.id("gw-pip")).getText().contains("SpareGWpip"), "the unused public IP offered");
        List<String> offered = new Select(browser.byId("gw-pip")).getOptions().stream().map(o -> o.getDomProperty("value")).toList();
        assertFalse(offered.contains("VNet1GWpip"), "VNet1GW's public IP is not offered: " + offered);
    }

    /**
     * A server error lands under the field it concerns, with names instead of ARM ids (issue 16): the public IP was
     * taken by another gateway between loading the form and submitting it; PublicIPAddressInUse went under "Virtual
     * network" because the ids in its message matched that field's words.
     */
    @Test
    @Order(20)
    void aServerErrorLandsUnderTheFieldItConcerns() throws Exception {
        signInAsAdmin();
        vnetWithGatewaySubnet("VNet2", "10.2.0.0/16", "10.2.255.0/27");
        vnetWithGatewaySubnet("VNet3", "10.3.0.0/16", "10.3.255.0/27");
        publicIp("VNet2GWpip");
        go("/virtualNetworkGateways");
        new Select(browser.byId("gw-rg")).selectByValue(RG);
        browser.until(d -> d.findElement(By.id("gw-pip")).getText().contains("VNet2GWpip")
                && d.findElement(By.id("gw-vnet")).getText().contains("VNet2"), "VNet2 and VNet2GWpip offered");
        browser.type(browser.byId("gw-name"), "VNet2GW");
        new Select(browser.byId("gw-vnet")).selectByValue("VNet2");
        new Select(browser.byId("gw-pip")).selectByValue("VNet2GWpip");
        // Meanwhile another operator gives VNet2GWpip to a gateway on VNet3.
        api.put(rgPath() + "/virtualNetworkGateways/VNet3GW", """
                {"location":"eastus","properties":{"gatewayType":"Vpn","vpnType":"RouteBased","vpnGatewayGeneration":"Generation2",
                 "sku":{"name":"VpnGw2","tier":"VpnGw2"},"ipConfigurations":[{"name":"default","properties":{
                 "subnet":{"id":"%1$s/virtualNetworks/VNet3/subnets/GatewaySubnet"},
                 "publicIPAddress":{"id":"%1$s/publicIPAddresses/VNet2GWpip"}}}]}}""".formatted(rgPath()));
        submit("gw-create");
        String error = browser.textContains(By.id("gw-pip-error"), "PublicIPAddressInUse");
        assertEquals("Public IP address VNet2GWpip is already in use by VNet3GW/default. (PublicIPAddressInUse)", error);
        assertFalse(browser.driver.findElement(By.id("gw-vnet-error")).isDisplayed(), "nothing under Virtual network");
        assertFalse(browser.driver.findElement(By.id("banner")).isDisplayed(), "not (only) a banner");
        screenshot("gateway-error-under-pip");
    }
}
