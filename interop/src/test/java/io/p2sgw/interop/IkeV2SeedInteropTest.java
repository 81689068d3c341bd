package io.p2sgw.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import io.p2sgw.pki.KeyType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The stock strongSwan 5.9.8 client (charon-systemd + swanctl, kernel-libipsec) against p2sgw over IKEv2, through
 * the whole product: the gateway configured through the REST API with vpnClientProtocols OpenVPN and IkeV2, the
 * client package's own {@code strongSwan/} profile and server CA (only the client certificate and key added, as its
 * comment tells users to), the VM at 10.1.0.4 behind the gateway. Root only (network namespaces); the lab is removed
 * after the class, also on failure. charon's resolve plugin writes to the client's own directory, never the host's
 * {@code /etc/resolv.conf} (checked).
 */
@Tag("interop")
@Timeout(600)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IkeV2SeedInteropTest {
    /**
     * Client namespaces: 1 for the basic test, 2-3 for revocation, 4 for the untrusted client, 5 for rekeys, 6 for an
     * OpenVPN client next to an IKEv2 one, 7-16 for ten IKEv2 clients at once, 17 for the one that vanishes.
     */
    static final int CLIENTS = 17;
    /** The vanishing client's namespace. */
    static final int VANISHING = 17;
    /** A short dead-peer-detection idle time, so a vanished client is found within a minute (default 30 s). */
    static final int DPD_IDLE_SECONDS = 5;
    static final int MANY_FIRST = 7;
    static final int MANY = 10;
    static final Duration INITIATE_TIMEOUT = Duration.ofSeconds(40);
    static final Path HOST_RESOLV_CONF = Path.of("/etc/resolv.conf");
    static SeedGateway gw;
    static Path profile;
    static byte[] hostResolvConf;

    @BeforeAll
    static void start() throws IOException {
        Optional<String> why = Lab.whyUnavailable().or(StrongSwanClient::whyUnavailable);
        assumeTrue(why.isEmpty(), () -> "interop tests skipped: " + why.orElse(""));
        hostResolvConf = readHostResolvConf();
        gw = SeedGateway.start(CLIENTS, List.of("OpenVPN", "IkeV2"),
                List.of("--ike-dpd-idle", Integer.toString(DPD_IDLE_SECONDS)));
        profile = unzipFolder(gw.packageZip, "strongSwan/", gw.lab.newDirectory("package-strongswan"));
    }

    @AfterAll
    static void stop() throws IOException {
        if (gw != null) {
            gw.closeLeavingNoNamespace();
            assertArrayEquals(hostResolvConf, readHostResolvConf(), "the host's /etc/resolv.conf is unchanged");
        }
    }

    private static byte[] readHostResolvConf() throws IOException {
        return Files.exists(HOST_RESOLV_CONF) ? Files.readAllBytes(HOST_RESOLV_CONF) : new byte[0];
    }

    /** The package's folder {@code prefix} (e.g. strongSwan/) unpacked into {@code target}. */
    static Path unzipFolder(Path zip, String prefix, Path target) throws IOException {
        int n = 0;
        try (InputStream f = Files.newInputStream(zip); ZipInputStream in = new ZipInputStream(f)) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                if (!e.getName().startsWith(prefix) || e.isDirectory() || e.getName().contains("..")) {
                    continue;
                }
                Path out = target.resolve(e.getName().substring(prefix.length()));
                Files.createDirectories(out.getParent());
                Files.write(out, in.readNBytes(1 << 20));
                n++;
            }
        }
        assertTrue(Files.isRegularFile(target.resolve("swanctl.conf")), "the package has strongSwan/swanctl.conf");
        System.out.println("[interop] the package's strongSwan profile: " + n + " files");
        return target;
    }

    private static StrongSwanClient connected(int i, KeyAndChain cert) {
        StrongSwanClient c = StrongSwanClient.start(gw.lab, i, profile, cert);
        Cmd.Result r = c.initiate(INITIATE_TIMEOUT);
        assertTrue(r.ok() && r.output().contains("initiate completed successfully"), () -> "client " + i
                + " did not connect:\n" + r.output() + "\ncharon log:\n" + tail(c.log(), 40) + "\nServer log:\n"
                + gw.server.process().tail(40));
        return c;
    }

    private static String tail(String s, int lines) {
        List<String> l = s.lines().toList();
        return String.join("\n", l.subList(Math.max(0, l.size() - lines), l.size()));
    }

    private static boolean inPool(String address) {
        return address.startsWith("172.16.201.") && !address.equals("172.16.201.0") && !address.equals("172.16.201.255");
    }

    private static Optional<JsonNode> sessionOf(String user) {
        return gw.walk.connectionHealth().stream().filter(s -> s.path("vpnUserName").asText().equals(user)).findFirst();
    }

    @Test
    @Order(1)
    void strongSwanWithThePackagesProfileGetsAPoolAddressAndReachesTheVm() {
        StrongSwanClient c = connected(1, gw.clientCertificate("P2SChildCert"));
        try {
            String vip = c.virtualAddress().orElseThrow(() -> new AssertionError("no virtual IP: " + c.log()));
            System.out.println("[interop] strongSwan got " + vip + "; " + c.listSas().lines()
                    .filter(l -> l.contains("ESTABLISHED") || l.contains("INSTALLED")).map(String::strip).toList());
            assertTrue(inPool(vip), vip);
            assertTrue(gw.lab.ping(gw.lab.clientNamespace(1), Lab.VM_ADDRESS, Duration.ofSeconds(5)), "ping 10.1.0.4");
            assertEquals(Optional.of(Lab.VM_INDEX_BODY),
                    gw.lab.httpGet(gw.lab.clientNamespace(1), "http://" + Lab.VM_ADDRESS + "/", Duration.ofSeconds(10)));
            System.out.println("[interop] ping and HTTP GET of 10.1.0.4 through the IKEv2 tunnel passed");
            JsonNode s = sessionOf("P2SChildCert").orElseThrow(() -> new AssertionError(gw.walk.connectionHealth()));
            assertTrue(s.path("vpnConnectionId").asText().startsWith("IKEv2_"), s.toString());
            assertEquals(vip, s.path("privateIpAddress").asText());
            System.out.println("[interop] connection health: " + s.path("vpnConnectionId").asText() + " "
                    + s.path("privateIpAddress").asText() + " in " + s.path("ingressBytesTransferred").asText()
                    + " B, out " + s.path("egressBytesTransferred").asText() + " B");
            // The resolve plugin wrote (if anything) into the client's own directory.
            assertFalse(c.resolvConf().startsWith("/etc"));
        } finally {
            c.close();
        }
    }

    @Test
    @Order(2)
    void revokedClientGetsADeleteAndIsRefusedWhileAnotherStaysUp() {
        KeyAndChain alice = gw.clientCertificate("alice");
        KeyAndChain bob = gw.clientCertificate("bob");
        StrongSwanClient a = connected(2, alice);
        StrongSwanClient b = connected(3, bob);
        try {
            String thumbprint = Certificates.thumbprint(alice.certificate());
            gw.walk.revoke("alice", thumbprint);
            Instant revokedAt = Instant.now();
            // The gateway DELETEs alice's IKE SA: her charon hears it (bounds generous, the delay is printed).
            assertTrue(a.awaitLog(Pattern.compile("received DELETE for IKE_SA"), Duration.ofSeconds(30)),
                    () -> "alice's client got no DELETE:\n" + tail(a.log(), 30) + "\nServer log:\n"
                            + gw.server.process().tail(30));
            System.out.println("[interop] alice's strongSwan received the gateway's DELETE "
                    + Duration.between(revokedAt, Instant.now()).toMillis() + " ms after the revocation PUT returned");
            boolean gone = false;
            while (Duration.between(revokedAt, Instant.now()).toSeconds() < 30 && !gone) {
                gone = sessionOf("alice").isEmpty();
            }
            assertTrue(gone, "alice's session ended");
            assertTrue(gw.serverLog().contains(thumbprint), "the server log names the revoked thumbprint");
            // Reconnecting is refused with AUTHENTICATION_FAILED.
            Cmd.Result again = a.initiate(INITIATE_TIMEOUT);
            assertFalse(again.ok() && again.output().contains("initiate completed successfully"), again.output());
            assertTrue(again.output().contains("AUTHENTICATION_FAILED") || a.log().contains("AUTHENTICATION_FAILED"),
                    () -> again.output() + "\n" + tail(a.log(), 30));
            System.out.println("[interop] alice's reconnect was refused with AUTHENTICATION_FAILED");
            assertTrue(gw.serverLog().contains("REVOKED"), "the server log gives the reason");
            assertTrue(gw.lab.ping(gw.lab.clientNamespace(3), Lab.VM_ADDRESS, Duration.ofSeconds(5)), "bob still reaches the VM");
        } finally {
            a.close();
            b.close();
        }
    }

    /** Pings the VM until it answers (a rekey's cut-over may lose a packet); the attempts are bounded, not timed. */
    private static boolean reachesVm(int i) {
        for (int attempt = 0; attempt < 10; attempt++) {
            if (gw.lab.ping(gw.lab.clientNamespace(i), Lab.VM_ADDRESS, Duration.ofSeconds(2))) {
                return true;
            }
        }
        return false;
    }

    @Test
    @Order(4)
    void childRekeyIkeRekeyAndReauthenticationKeepTheTunnelAndTheSession() {
        StrongSwanClient c = connected(5, gw.clientCertificate("carol"));
        try {
            assertTrue(reachesVm(5), "ping before the rekeys");
            JsonNode before = sessionOf("carol").orElseThrow();

            assertTrue(c.rekey(false, false).ok());
            assertTrue(c.awaitLog(Pattern.compile("CHILD_SA \\S+\\{2\\} established"), Duration.ofSeconds(30)),
                    () -> "no CHILD rekey:\n" + tail(c.log(), 30));
            assertTrue(reachesVm(5), () -> "ping after the CHILD rekey:\n" + tail(c.log(), 20));
            System.out.println("[interop] CHILD SA rekeyed, the VM still answers");

            assertTrue(c.rekey(true, false).ok());
            assertTrue(c.awaitLog(Pattern.compile("IKE_SA \\S+\\[\\d+\\] rekeyed"), Duration.ofSeconds(30)),
                    () -> "no IKE rekey:\n" + tail(c.log(), 30));
            assertTrue(reachesVm(5), () -> "ping after the IKE rekey:\n" + tail(c.log(), 20));
            System.out.println("[interop] IKE SA rekeyed, the VM still answers");

            assertTrue(c.rekey(true, true).ok());
            assertTrue(c.awaitLog(Pattern.compile("(?s)reauthenticating IKE_SA.*IKE_SA \\S+\\[\\d+\\] established"),
                    Duration.ofSeconds(30)), () -> "no reauthentication:\n" + tail(c.log(), 40));
            assertTrue(reachesVm(5), () -> "ping after the reauthentication:\n" + tail(c.log(), 20)
                    + "\nServer log:\n" + gw.server.process().tail(20));
            JsonNode after = sessionOf("carol").orElseThrow(() -> new AssertionError(gw.walk.connectionHealth()));
            assertEquals(before.path("privateIpAddress").asText(), after.path("privateIpAddress").asText());
            System.out.println("[interop] reauthenticated: session " + before.path("vpnConnectionId").asText() + " -> "
                    + after.path("vpnConnectionId").asText() + ", address " + after.path("privateIpAddress").asText()
                    + " kept, the VM still answers");
            assertEquals(1, gw.walk.connectionHealth().stream()
                    .filter(s -> s.path("vpnUserName").asText().equals("carol")).count(), "one session for carol");
        } finally {
            c.close();
        }
    }

    @Test
    @Order(6)
    void openVpnAndIkeV2ClientsShareThePoolWithoutCollision() {
        StrongSwanClient ike = connected(1, gw.clientCertificate("dave"));
        io.p2sgw.lab.OpenVpnClient ovpn = gw.connect(6, gw.clientCertificate("erin"), List.of());
        try {
            assertTrue(ovpn.awaitConnected(SeedGateway.CONNECT_TIMEOUT), () -> ovpn.process().tail(30));
            String a = ike.virtualAddress().orElseThrow();
            String b = ovpn.tunnelAddress().orElseThrow();
            assertTrue(inPool(a) && inPool(b) && !a.equals(b), a + " and " + b);
            assertTrue(reachesVm(1), "the IKEv2 client reaches the VM");
            assertTrue(gw.lab.ping(gw.lab.clientNamespace(6), Lab.VM_ADDRESS, Duration.ofSeconds(5)), "the OpenVPN one too");
            System.out.println("[interop] IKEv2 client " + a + " and OpenVPN client " + b + " connected at once, both reach the VM");
        } finally {
            ike.close();
            ovpn.close();
        }
    }

    @Test
    @Order(7)
    void tenIkeV2ClientsAtOnceGetDistinctAddresses() throws Exception {
        List<StrongSwanClient> clients = new java.util.ArrayList<>();
        try {
            for (int i = MANY_FIRST; i < MANY_FIRST + MANY; i++) {
                clients.add(StrongSwanClient.start(gw.lab, i, profile, gw.clientCertificate("user" + i)));
            }
            // Every client initiates at the same moment.
            List<java.util.concurrent.Future<Cmd.Result>> results = new java.util.ArrayList<>();
            try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                for (StrongSwanClient c : clients) {
                    results.add(pool.submit(() -> c.initiate(INITIATE_TIMEOUT)));
                }
            }
            java.util.Set<String> addresses = new java.util.HashSet<>();
            for (int k = 0; k < clients.size(); k++) {
                Cmd.Result r = results.get(k).get();
                StrongSwanClient c = clients.get(k);
                assertTrue(r.ok() && r.output().contains("initiate completed successfully"),
                        () -> r.output() + "\n" + tail(c.log(), 20));
                String vip = c.virtualAddress().orElseThrow();
                assertTrue(inPool(vip), vip);
                addresses.add(vip);
            }
            assertEquals(MANY, addresses.size(), "distinct addresses: " + addresses);
            for (int i = MANY_FIRST; i < MANY_FIRST + MANY; i += 3) {
                assertTrue(reachesVm(i), "client " + i);
            }
            System.out.println("[interop] " + MANY + " IKEv2 clients at once got distinct addresses " + new java.util.TreeSet<>(addresses));
        } finally {
            clients.forEach(StrongSwanClient::close);
        }
    }

    @Test
    @Order(8)
    void aClientThatVanishesIsFoundByDeadPeerDetectionAndItsSessionEnds() {
        StrongSwanClient c = connected(VANISHING, gw.clientCertificate("frank"));
        assertTrue(sessionOf("frank").isPresent());
        c.vanish();
        Instant vanished = Instant.now();
        // 5 s of silence, then liveness checks at 0, 2, 6, 14 and 30 s and the last wait of 16 s: about 51 s. The
        // bound is generous; the measured time is printed.
        boolean gone = false;
        while (!gone && Duration.between(vanished, Instant.now()).toSeconds() < 180) {
            gone = sessionOf("frank").isEmpty();
            if (!gone) {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        assertTrue(gone, () -> "frank's session is still there:\n" + gw.server.process().tail(20));
        assertTrue(gw.serverLog().contains("dead peer detection"), "the server log says why");
        System.out.println("[interop] a vanished client's session ended by dead peer detection "
                + Duration.between(vanished, Instant.now()).toSeconds() + " s after it went silent");
    }

    @Test
    @Order(5)
    void certificateFromAnUntrustedRootIsRefusedWithTheReasonLogged() {
        KeyAndChain otherRoot = gw.issuer.createRoot("NotUploaded", KeyType.RSA2048, Duration.ofDays(30));
        KeyAndChain stranger = gw.issuer.createClient(otherRoot, "stranger", KeyType.RSA2048, Duration.ofDays(30));
        StrongSwanClient c = StrongSwanClient.start(gw.lab, 4, profile, stranger);
        try {
            Cmd.Result r = c.initiate(INITIATE_TIMEOUT);
            assertFalse(r.ok() && r.output().contains("initiate completed successfully"), r.output());
            assertTrue(r.output().contains("AUTHENTICATION_FAILED") || c.log().contains("AUTHENTICATION_FAILED"),
                    () -> r.output() + "\n" + tail(c.log(), 30));
            String log = gw.serverLog();
            assertTrue(log.contains(Certificates.thumbprint(stranger.certificate())), "server log names the thumbprint");
            assertTrue(log.toUpperCase().contains("UNTRUSTED"), "server log gives the reason");
            System.out.println("[interop] an untrusted client was refused with AUTHENTICATION_FAILED");
        } finally {
            c.close();
        }
    }
}
