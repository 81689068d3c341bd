package io.p2sgw.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.p2sgw.cli.arm.ArmClient;
import io.p2sgw.lab.Cmd;
import io.p2sgw.lab.Lab;
import io.p2sgw.lab.StrongSwanClient;
import io.p2sgw.pki.Certificates;
import io.p2sgw.pki.KeyAndChain;
import io.p2sgw.pki.KeyType;
import io.p2sgw.testkit.pki.Issued;
import io.p2sgw.testkit.pki.TestPki;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The IKEv2 cases issue 14 ("Interop tests") lists beyond the seed ones (IkeV2SeedInteropTest), with the stock
 * strongSwan 5.9.8 client (kernel-libipsec) and the package's own {@code strongSwan/} profile as the base: each
 * proposal family a native client sends by default (ikev2.md §2.1, §2.4), expired and no-EKU certificates refused
 * with the reason logged, a root removed through the API, a chain that needs IKE fragmentation (RFC 7383), a client
 * behind a masquerading NAT router, and twenty clients at once. Root only; the lab is removed after the class, also on
 * failure, and every client is stopped in a {@code finally}.
 */
@Tag("interop")
@Timeout(600)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IkeV2ClientCasesInteropTest {
    /** Client namespaces 1-20: the families, certificates and roots use 1-3 one after another; all 20 at once last. */
    static final int CLIENTS = 20;
    static final Duration INITIATE_TIMEOUT = Duration.ofSeconds(40);
    /** How long the gateway may take to apply a changed vpnClientRootCertificates (LISTEN/NOTIFY, then the snapshot). */
    static final Duration APPLY_TIMEOUT = Duration.ofSeconds(30);
    static final Pattern APPLIED = Pattern.compile("applied snapshot v\\d+ .*, (\\d+) trusted, ");

    static SeedGateway gw;
    static ArmClient arm;
    static Path profile;
    /** A second uploaded root for the expired and no-EKU certificates. */
    static TestPki casesPki;
    /** A third one, removed by the root test. */
    static TestPki doomedPki;
    /** RSA-4096 root with an RSA-4096 intermediate: leaf + intermediate + AUTH exceed one 1280-byte datagram. */
    static TestPki bigRoot;
    static TestPki bigIntermediate;
    static final AtomicInteger VARIANTS = new AtomicInteger();

    @BeforeAll
    static void start() throws IOException {
        Optional<String> why = Lab.whyUnavailable().or(StrongSwanClient::whyUnavailable);
        assumeTrue(why.isEmpty(), () -> "interop tests skipped: " + why.orElse(""));
        casesPki = TestPki.rsa("CasesRoot");
        doomedPki = TestPki.rsa("DoomedRoot");
        bigRoot = TestPki.root("BigRoot4096", KeyType.RSA4096);
        bigIntermediate = bigRoot.intermediate("BigIntermediate4096");
        gw = SeedGateway.start(CLIENTS, List.of("OpenVPN", "IkeV2"));
        try {
            arm = new ArmClient(gw.server.clientSettings(), new PrintWriter(Writer.nullWriter()));
            profile = IkeV2SeedInteropTest.unzipFolder(gw.packageZip, "strongSwan/", gw.lab.newDirectory("package-strongswan"));
            putRoots(List.of(new Root("CasesRoot", casesPki.caCertificate()), new Root("DoomedRoot", doomedPki.caCertificate()),
                    new Root("BigRoot4096", bigRoot.caCertificate())), List.of());
            awaitTrusted(4);
        } catch (RuntimeException | Error | IOException e) {
            gw.close();
            gw = null;
            throw e;
        }
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.closeLeavingNoNamespace();
        }
    }

    // ---------------------------------------------------------------- helpers

    record Root(String name, X509Certificate certificate) {}

    /** GET the gateway, add {@code add} to and drop {@code remove} from vpnClientRootCertificates, PUT it back. */
    static void putRoots(List<Root> add, List<String> remove) {
        ObjectNode g = (ObjectNode) arm.get(gw.walk.gatewayPath()).deepCopy();
        ObjectNode vcc = (ObjectNode) g.path("properties").path("vpnClientConfiguration");
        ArrayNode old = (ArrayNode) vcc.get("vpnClientRootCertificates");
        ArrayNode roots = vcc.putArray("vpnClientRootCertificates");
        for (JsonNode r : old) {
            if (!remove.contains(r.path("name").asText())) {
                roots.addObject().put("name", r.path("name").asText()).putObject("properties")
                        .put("publicCertData", r.path("properties").path("publicCertData").asText());
            }
        }
        for (Root r : add) {
            roots.addObject().put("name", r.name()).putObject("properties")
                    .put("publicCertData", Certificates.publicCertData(r.certificate()));
        }
        arm.put(gw.walk.gatewayPath(), g, false);
    }

    /** Waits until the gateway's last applied snapshot trusts {@code n} roots (its log line says so). */
    static void awaitTrusted(int n) {
        Instant end = Instant.now().plus(APPLY_TIMEOUT);
        int last = -1;
        while (Instant.now().isBefore(end)) {
            Matcher m = APPLIED.matcher(gw.serverLog());
            last = -1;
            while (m.find()) {
                last = Integer.parseInt(m.group(1));
            }
            if (last == n) {
                return;
            }
            sleep(Duration.ofMillis(200));
        }
        throw new AssertionError("the gateway did not apply " + n + " trusted roots (last: " + last + "):\n"
                + gw.server.process().tail(20));
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String tail(String s, int lines) {
        List<String> l = s.lines().toList();
        return String.join("\n", l.subList(Math.max(0, l.size() - lines), l.size()));
    }

    static boolean inPool(String address) {
        return address.startsWith("172.16.201.") && !address.equals("172.16.201.0") && !address.equals("172.16.201.255");
    }

    /**
     * A copy of the package's strongSwan folder with {@code proposals} and {@code esp_proposals} replaced (null keeps
     * the package's) and {@code extraCas} added to {@code x509ca/} (an intermediate the client sends with its
     * certificate).
     */
    static Path variant(String ike, String esp, List<X509Certificate> extraCas) {
        Path dir = gw.lab.newDirectory("profile-variant-" + VARIANTS.incrementAndGet());
        try (Stream<Path> walk = Files.walk(profile)) {
            for (Path p : walk.toList()) {
                Path target = dir.resolve(profile.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Path conf = dir.resolve("swanctl.conf");
            String s = Files.readString(conf, StandardCharsets.UTF_8);
            if (ike != null) {
                s = replaceSetting(s, "proposals", ike);
            }
            if (esp != null) {
                s = replaceSetting(s, "esp_proposals", esp);
            }
            Files.writeString(conf, s, StandardCharsets.UTF_8);
            Files.createDirectories(dir.resolve("x509ca"));
            int i = 0;
            for (X509Certificate ca : extraCas) {
                Files.writeString(dir.resolve("x509ca/extra-" + i++ + ".pem"), Certificates.toPem(ca), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot write a profile variant: " + e.getMessage(), e);
        }
        return dir;
    }

    private static String replaceSetting(String conf, String key, String value) {
        Matcher m = Pattern.compile("(?m)^(\\s*" + key + "\\s*=\\s*)\\S+\\s*$").matcher(conf);
        assertTrue(m.find(), "the package's swanctl.conf sets " + key);
        return m.replaceFirst(Matcher.quoteReplacement(m.group(1) + value));
    }

    static KeyAndChain keyAndChain(Issued issued) {
        return issued.keyAndChain();
    }

    static StrongSwanClient connected(StrongSwanClient c) {
        Cmd.Result r = c.initiate(INITIATE_TIMEOUT);
        assertTrue(r.ok() && r.output().contains("initiate completed successfully"), () -> "the client in "
                + c.namespace() + " did not connect:\n" + tail(r.output(), 30) + "\ncharon log:\n" + tail(c.log(), 40)
                + "\nServer log:\n" + gw.server.process().tail(40));
        return c;
    }

    /** Pings the VM until it answers (a rekey's cut-over may lose a packet); the attempts are bounded, not timed. */
    static boolean reachesVm(String namespace) {
        for (int attempt = 0; attempt < 10; attempt++) {
            if (gw.lab.ping(namespace, Lab.VM_ADDRESS, Duration.ofSeconds(2))) {
                return true;
            }
        }
        return false;
    }

    /** A client that must be refused with AUTHENTICATION_FAILED, and the gateway's log line naming it and why. */
    static void assertRefused(int i, KeyAndChain cert, String reason) {
        StrongSwanClient c = StrongSwanClient.start(gw.lab, i, profile, cert);
        try {
            Cmd.Result r = c.initiate(INITIATE_TIMEOUT);
            assertFalse(r.ok() && r.output().contains("initiate completed successfully"), r.output());
            assertTrue(r.output().contains("AUTHENTICATION_FAILED") || c.log().contains("AUTHENTICATION_FAILED"),
                    () -> "no AUTHENTICATION_FAILED:\n" + tail(r.output(), 20) + "\n" + tail(c.log(), 30));
            String thumbprint = Certificates.thumbprint(cert.certificate());
            Pattern line = Pattern.compile("(?m)^.*refused \\(" + reason + "\\): CN=\\S+ thumbprint " + thumbprint + ".*$");
            Matcher m = line.matcher(gw.serverLog());
            assertTrue(m.find(), () -> "the server log has no line refusing " + thumbprint + " for " + reason + ":\n"
                    + gw.server.process().tail(30));
            System.out.println("[interop] refused with AUTHENTICATION_FAILED; the gateway logged: " + m.group().strip());
        } finally {
            c.close();
        }
    }

    // ---------------------------------------------------------------- 1. proposal families

    /**
     * What a native client proposes by default, as strongSwan proposal strings (ikev2.md §2.1, §2.4), and the suite
     * the gateway must pick (strongSwan's names in {@code swanctl --list-sas}). {@code pfsRekey}: the ESP proposals
     * carry a DH group, so a CHILD rekey runs with a KE (Windows with a custom policy does that, ikev2.md §2.4).
     */
    record Family(String name, String ike, String esp, String expectIke, String expectEsp, boolean pfsRekey) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Windows 10: every combination of 3DES/AES-128/192/256 and SHA-1/256/384, each as its own proposal, MODP-1024. */
    static String windowsDefaultIke() {
        List<String> p = new ArrayList<>();
        for (String integ : List.of("sha1", "sha256", "sha384")) {
            for (String enc : List.of("3des", "aes128", "aes192", "aes256")) {
                p.add(enc + "-" + integ + "-modp1024");
            }
        }
        return String.join(",", p);
    }

    static Stream<Family> families() {
        return Stream.of(
                new Family("Windows 10 defaults (MODP-1024 only, ESP HMAC-SHA1-96)", windowsDefaultIke(),
                        "aes256-sha1,aes128-sha1,3des-sha1", "AES_CBC-256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_1024",
                        "ESP:AES_CBC-256/HMAC_SHA1_96", false),
                new Family("Windows AES-256-CBC/SHA-1/MODP-1024 alone", "aes256-sha1-modp1024", "aes256-sha1",
                        "AES_CBC-256/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024", "ESP:AES_CBC-256/HMAC_SHA1_96", false),
                new Family("Windows 11 defaults (GCM offers with MODP-1024)",
                        "aes256gcm16-prfsha256-modp1024,aes128gcm16-prfsha256-modp1024," + windowsDefaultIke(),
                        "aes256-sha1,aes128-sha1,3des-sha1", "AES_GCM_16-256/PRF_HMAC_SHA2_256/MODP_1024",
                        "ESP:AES_CBC-256/HMAC_SHA1_96", false),
                new Family("Apple iOS/macOS defaults",
                        "aes256-sha256-modp2048,aes256-sha256-ecp256,aes256-sha256-modp1536,aes128-sha1-modp1024,3des-sha1-modp1024",
                        "aes256-sha256,aes128-sha1,3des-sha1", "AES_CBC-256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048",
                        "ESP:AES_CBC-256/HMAC_SHA2_256_128", false),
                new Family("Apple with ECP-256 first", "aes256-sha256-ecp256,aes256-sha256-modp2048", "aes256-sha256",
                        "AES_CBC-256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/ECP_256", "ESP:AES_CBC-256/HMAC_SHA2_256_128", false),
                new Family("Android strongSwan app (strongSwan's defaults)", "default", "default",
                        "AES_GCM_16-256/PRF_HMAC_SHA2_256/CURVE_25519", "ESP:AES_GCM_16-256", false),
                new Family("Azure GCM_AES256/SHA384/DHGroup24, ESP GCM_AES256 PFS24", "aes256gcm16-prfsha384-modp2048s256",
                        "aes256gcm16-modp2048s256", "AES_GCM_16-256/PRF_HMAC_SHA2_384/MODP_2048_256", "ESP:AES_GCM_16-256",
                        true),
                new Family("Azure GCM_AES256/SHA256/DHGroup14, ESP GCM_AES256 PFS14", "aes256gcm16-prfsha256-modp2048",
                        "aes256gcm16-modp2048", "AES_GCM_16-256/PRF_HMAC_SHA2_256/MODP_2048", "ESP:AES_GCM_16-256", true),
                new Family("Azure GCM_AES256/SHA384/ECP384, ESP GCM_AES256 PFS ECP384", "aes256gcm16-prfsha384-ecp384",
                        "aes256gcm16-ecp384", "AES_GCM_16-256/PRF_HMAC_SHA2_384/ECP_384", "ESP:AES_GCM_16-256", true),
                new Family("Azure GCM_AES256/SHA256/ECP256, ESP GCM_AES256 no PFS", "aes256gcm16-prfsha256-ecp256",
                        "aes256gcm16", "AES_GCM_16-256/PRF_HMAC_SHA2_256/ECP_256", "ESP:AES_GCM_16-256", false),
                new Family("Azure AES256/SHA384/DHGroup24, ESP AES256/SHA256 PFS24", "aes256-sha384-modp2048s256",
                        "aes256-sha256-modp2048s256", "AES_CBC-256/HMAC_SHA2_384_192/PRF_HMAC_SHA2_384/MODP_2048_256",
                        "ESP:AES_CBC-256/HMAC_SHA2_256_128", true),
                new Family("Azure AES256/SHA256/DHGroup14, ESP AES256/SHA256 PFS ECP256", "aes256-sha256-modp2048",
                        "aes256-sha256-ecp256", "AES_CBC-256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048",
                        "ESP:AES_CBC-256/HMAC_SHA2_256_128", true),
                new Family("Azure AES256/SHA384/ECP384, ESP AES256/SHA256 no PFS", "aes256-sha384-ecp384", "aes256-sha256",
                        "AES_CBC-256/HMAC_SHA2_384_192/PRF_HMAC_SHA2_384/ECP_384", "ESP:AES_CBC-256/HMAC_SHA2_256_128", false),
                new Family("Azure AES256/SHA256/ECP256, ESP AES256/SHA256 PFS14", "aes256-sha256-ecp256",
                        "aes256-sha256-modp2048", "AES_CBC-256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/ECP_256",
                        "ESP:AES_CBC-256/HMAC_SHA2_256_128", true),
                new Family("Azure AES256/SHA256/GROUP_2, ESP AES256/SHA1 no PFS", "aes256-sha256-modp1024", "aes256-sha1",
                        "AES_CBC-256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_1024", "ESP:AES_CBC-256/HMAC_SHA1_96", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    @Order(1)
    @Timeout(120)
    void eachNativeClientsDefaultProposalsConnectAndReachTheVm(Family f) {
        StrongSwanClient c = StrongSwanClient.start(gw.lab, 1, variant(f.ike(), f.esp(), List.of()),
                gw.clientCertificate("family" + VARIANTS.get()));
        try {
            connected(c);
            String sas = c.listSas();
            assertTrue(sas.contains(f.expectIke()), () -> f.name() + ": IKE SA is not " + f.expectIke() + ":\n" + sas);
            assertTrue(sas.contains(f.expectEsp()), () -> f.name() + ": CHILD SA is not " + f.expectEsp() + ":\n" + sas);
            String vip = c.virtualAddress().orElseThrow(() -> new AssertionError("no virtual IP:\n" + tail(c.log(), 20)));
            assertTrue(inPool(vip), vip);
            assertTrue(reachesVm(c.namespace()), () -> f.name() + ": no ping to 10.1.0.4:\n" + tail(c.log(), 20));
            String negotiated = sas.lines().map(String::strip)
                    .filter(l -> l.startsWith("AES") || l.contains("ESP:")).toList().toString();
            if (f.pfsRekey()) {
                assertTrue(c.rekey(false, false).ok());
                assertTrue(c.awaitLog(Pattern.compile("CHILD_SA \\S+\\{2\\} established"), Duration.ofSeconds(30)),
                        () -> f.name() + ": no CHILD rekey with PFS:\n" + tail(c.log(), 30) + "\nServer log:\n"
                                + gw.server.process().tail(20));
                String after = c.listSas();
                assertTrue(after.lines().anyMatch(l -> l.contains(f.expectEsp() + "/") && l.contains("INSTALLED")),
                        () -> f.name() + ": the rekeyed CHILD SA has no DH group:\n" + after);
                assertTrue(reachesVm(c.namespace()), () -> f.name() + ": no ping after the PFS rekey");
                negotiated += " rekeyed " + after.lines().map(String::strip).filter(l -> l.contains("ESP:")).toList();
            }
            System.out.println("[interop] " + f.name() + ": " + negotiated + ", address " + vip + ", the VM answers");
        } finally {
            c.close();
        }
    }

    // ---------------------------------------------------------------- 2. expired and no-EKU certificates

    @Test
    @Order(2)
    void expiredClientCertificateIsRefusedWithTheReasonLogged() {
        assertRefused(2, casesPki.leaf("expired").expired().issue().keyAndChain(), "EXPIRED");
    }

    @Test
    @Order(3)
    void clientCertificateWithoutClientAuthenticationEkuIsRefusedWithTheReasonLogged() {
        assertRefused(3, casesPki.leaf("noeku").noEku().issue().keyAndChain(), "NO_CLIENT_AUTH_EKU");
        assertRefused(3, casesPki.leaf("serverauth").serverAuth().issue().keyAndChain(), "NO_CLIENT_AUTH_EKU");
    }

    // ---------------------------------------------------------------- 4. a chain that needs fragmentation

    @Test
    @Order(4)
    void anRsa4096ChainWithAnIntermediateIsSentInFragmentsAndConnects() {
        Issued leaf = bigIntermediate.leaf("bigchain").issue();
        StrongSwanClient c = StrongSwanClient.start(gw.lab, 1, variant(null, null, List.of(bigIntermediate.caCertificate())),
                leaf.keyAndChain());
        try {
            connected(c);
            String log = c.log();
            assertTrue(log.contains("sending issuer cert") && log.contains("BigIntermediate4096"),
                    () -> "charon did not send the intermediate:\n" + tail(log, 40));
            // strongSwan splits a message above its 1280-byte fragment_size when the peer announced
            // IKEV2_FRAGMENTATION_SUPPORTED (RFC 7383 §2.5); a 4096-bit leaf, its intermediate and a 512-byte AUTH do.
            Matcher m = Pattern.compile("splitting IKE message \\((\\d+) bytes\\) into (\\d+) fragments").matcher(log);
            assertTrue(m.find(), () -> "the IKE_AUTH request was not fragmented:\n" + tail(log, 40));
            int fragments = Integer.parseInt(m.group(2));
            assertTrue(fragments >= 3, "fragments: " + fragments);
            assertTrue(reachesVm(c.namespace()), "ping through the tunnel");
            System.out.println("[interop] an RSA-4096 leaf + intermediate chain went as " + fragments + " IKE fragments ("
                    + m.group(1) + " bytes), the gateway reassembled and accepted it, the VM answers");
        } finally {
            c.close();
        }
    }

    // ---------------------------------------------------------------- 5. behind NAT

    @Test
    @Order(5)
    void aClientBehindAMasqueradingRouterUsesUdp4500AndReachesTheVm() {
        String ns = gw.lab.addClientBehindNat(1);
        StrongSwanClient c = StrongSwanClient.start(gw.lab, ns, "nat1", profile, gw.clientCertificate("natted"));
        try {
            connected(c);
            String log = c.log();
            // RFC 7296 §2.23: the NAT_DETECTION_SOURCE_IP hash of the client's own address does not match what the
            // gateway saw, and the gateway's hash tells the client that its own address was rewritten.
            assertTrue(log.contains("local host is behind NAT"), () -> "charon saw no NAT:\n" + tail(log, 40));
            String sas = c.listSas();
            assertTrue(sas.contains(Lab.GATEWAY_PUBLIC_ADDRESS + "[4500]") && sas.contains(gw.lab.natClientAddress(1) + "[4500]"),
                    () -> "IKE is not on 4500 at both ends:\n" + sas);
            assertTrue(sas.contains("TUNNEL-in-UDP"), () -> "ESP is not UDP-encapsulated:\n" + sas);
            // The gateway saw the router's public address, not the client's private one.
            String router = gw.lab.natRouterPublicAddress(1);
            Matcher m = Pattern.compile("established with natted at /?" + Pattern.quote(router) + ":(\\d+)")
                    .matcher(gw.serverLog());
            assertTrue(m.find(), () -> "the gateway did not log natted at " + router + ":\n" + gw.server.process().tail(20));
            assertTrue(reachesVm(ns), "ping through the tunnel from behind the NAT");
            System.out.println("[interop] a client at " + gw.lab.natClientAddress(1) + " behind a NAT router reached the"
                    + " gateway as " + router + ":" + m.group(1) + ", IKE and ESP on UDP 4500, the VM answers");
        } finally {
            c.close();
        }
    }

    // ---------------------------------------------------------------- 3. root removed

    @Test
    @Order(6)
    void removingARootDeletesItsClientsSasAndRefusesThemWhileAnotherRootsClientStaysUp() {
        StrongSwanClient doomed = StrongSwanClient.start(gw.lab, 2, profile, doomedPki.client("doomed").keyAndChain());
        StrongSwanClient other = StrongSwanClient.start(gw.lab, 3, profile, gw.clientCertificate("survivor"));
        try {
            connected(doomed);
            connected(other);
            putRoots(List.of(), List.of("DoomedRoot"));
            Instant removedAt = Instant.now();
            awaitTrusted(3);
            assertTrue(doomed.awaitLog(Pattern.compile("received DELETE for IKE_SA"), Duration.ofSeconds(30)),
                    () -> "the doomed client got no DELETE:\n" + tail(doomed.log(), 30) + "\nServer log:\n"
                            + gw.server.process().tail(30));
            System.out.println("[interop] the client under the removed root received DELETE "
                    + Duration.between(removedAt, Instant.now()).toMillis() + " ms after the PUT returned");
            assertTrue(gw.serverLog().contains("root certificate removed"), "the server log gives the reason");
            Cmd.Result again = doomed.initiate(INITIATE_TIMEOUT);
            assertFalse(again.ok() && again.output().contains("initiate completed successfully"), again.output());
            assertTrue(again.output().contains("AUTHENTICATION_FAILED") || doomed.log().contains("AUTHENTICATION_FAILED"),
                    () -> tail(again.output(), 20) + "\n" + tail(doomed.log(), 30));
            assertTrue(Pattern.compile("refused \\(UNTRUSTED\\): CN=doomed").matcher(gw.serverLog()).find(),
                    () -> "the reconnect's refusal is not logged:\n" + gw.server.process().tail(20));
            assertTrue(reachesVm(other.namespace()), "the client under P2SRootCert still reaches the VM");
            assertTrue(other.listSas().contains("ESTABLISHED"), "and its IKE SA is still up");
            System.out.println("[interop] its reconnect was refused with AUTHENTICATION_FAILED; a client under another"
                    + " root stayed up");
        } finally {
            doomed.close();
            other.close();
        }
    }

    // ---------------------------------------------------------------- 6. twenty at once

    @Test
    @Order(7)
    void twentyClientsAtOnceGetDistinctPoolAddressesAndReachTheVm() throws Exception {
        List<StrongSwanClient> clients = new ArrayList<>();
        try {
            for (int i = 1; i <= CLIENTS; i++) {
                clients.add(StrongSwanClient.start(gw.lab, i, profile, gw.clientCertificate("many" + i)));
            }
            Instant begun = Instant.now();
            List<Future<Cmd.Result>> results = new ArrayList<>();
            try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (StrongSwanClient c : clients) {
                    results.add(pool.submit(() -> c.initiate(INITIATE_TIMEOUT)));
                }
            }
            long ms = Duration.between(begun, Instant.now()).toMillis();
            Set<String> addresses = new HashSet<>();
            for (int k = 0; k < clients.size(); k++) {
                Cmd.Result r = results.get(k).get();
                StrongSwanClient c = clients.get(k);
                assertTrue(r.ok() && r.output().contains("initiate completed successfully"),
                        () -> tail(r.output(), 20) + "\n" + tail(c.log(), 20));
                String vip = c.virtualAddress().orElseThrow();
                assertTrue(inPool(vip), vip);
                addresses.add(vip);
            }
            assertEquals(CLIENTS, addresses.size(), "distinct addresses: " + addresses);
            for (StrongSwanClient c : clients) {
                assertTrue(reachesVm(c.namespace()), "client in " + c.namespace());
            }
            long sessions = gw.walk.connectionHealth().stream()
                    .filter(s -> s.path("vpnUserName").asText().startsWith("many")).count();
            assertEquals(CLIENTS, sessions, "connection health lists every client");
            System.out.println("[interop] " + CLIENTS + " IKEv2 clients initiated at once, all connected within " + ms
                    + " ms with distinct addresses " + new TreeSet<>(addresses) + "; each pinged the VM");
        } finally {
            clients.forEach(StrongSwanClient::close);
        }
    }
}
