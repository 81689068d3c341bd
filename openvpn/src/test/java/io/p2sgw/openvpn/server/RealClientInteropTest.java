package io.p2sgw.openvpn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.p2sgw.dataplane.api.SecretBytes;
import io.p2sgw.dataplane.api.TunnelType;
import io.p2sgw.dataplane.spi.Admission;
import io.p2sgw.openvpn.engine.SessionSettings;
import io.p2sgw.openvpn.engine.SessionStats;
import io.p2sgw.openvpn.testing.OpenVpnClientProcess;
import io.p2sgw.openvpn.wire.StaticKey;
import io.p2sgw.testkit.core.FakeCore;
import io.p2sgw.testkit.pki.Issued;
import io.p2sgw.testkit.pki.TestPki;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The stock OpenVPN 2.6 client ({@code --dev null}, no TUN needed) against our server in this JVM over
 * loopback: TCP and UDP, tls-auth (SHA256, key-direction 1, the Azure profile) and tls-crypt, each data
 * cipher, TLS 1.2 and 1.3, keepalive through the data channel both ways, AUTH_FAILED, renegotiation.
 */
@Timeout(180)
class RealClientInteropTest {
    private static final Duration CONNECT = Duration.ofSeconds(40);

    private static TestPki pki;
    private static TestPki otherPki;
    private static Issued server;
    private static StaticKey staticKey;

    @TempDir
    Path dir;

    private FakeCore core;
    private static OpenVpnTestServer ovpn;
    private static FakeCore sharedCore;

    @BeforeAll
    static void startServer() throws Exception {
        assumeTrue(OpenVpnClientProcess.available(), "openvpn client not installed");
        pki = TestPki.ec("p2sgw test root");
        otherPki = TestPki.ec("some other root");
        server = pki.server("vpn.example.test");
        byte[] k = new byte[StaticKey.LENGTH];
        new SecureRandom().nextBytes(k);
        staticKey = StaticKey.of(k);
        sharedCore = new FakeCore(TunnelType.OPENVPN, pki.caCertificate()).withTunnelSecret(SecretBytes.of(staticKey.bytes()));
        // Short pushed ping / ping-restart so keepalive is observable in seconds.
        SessionSettings settings = new SessionSettings(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(1),
                Duration.ofSeconds(5), Duration.ZERO, Duration.ofSeconds(3600), Duration.ofSeconds(1));
        OpenVpnServerConfig config = new OpenVpnServerConfig(server.privateKey(), List.of(server.certificate()), 0,
                Clock.systemUTC(), settings, 64);
        ovpn = new OpenVpnTestServer(config, sharedCore);
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (ovpn != null) {
            ovpn.close();
        }
    }

    @BeforeEach
    void clearCore() {
        core = sharedCore;
        core.admissions.clear();
        core.endpoints.clear();
        core.closes.clear();
        core.revoked.clear();
    }

    enum Wrap { TLS_AUTH, TLS_CRYPT }

    static Stream<Arguments> matrix() {
        return Stream.of(
                Arguments.of("tcp", Wrap.TLS_AUTH, "AES-256-GCM", "1.3"),
                Arguments.of("tcp", Wrap.TLS_CRYPT, "AES-128-GCM", "1.2"),
                Arguments.of("tcp", Wrap.TLS_AUTH, "CHACHA20-POLY1305", "1.2"),
                Arguments.of("udp", Wrap.TLS_CRYPT, "AES-256-GCM", "1.2"),
                Arguments.of("udp", Wrap.TLS_AUTH, "AES-128-GCM", "1.3"),
                Arguments.of("udp", Wrap.TLS_CRYPT, "CHACHA20-POLY1305", "1.3"));
    }

    @ParameterizedTest(name = "{0} {1} {2} TLS {3}")
    @MethodSource("matrix")
    void clientConnectsAndKeepaliveFlowsBothWays(String proto, Wrap wrap, String cipher, String tls) throws Exception {
        Issued client = pki.client("alice");
        List<String> opts = clientOptions(proto, wrap, client);
        opts.addAll(List.of("--data-ciphers", cipher));
        opts.addAll(tls.equals("1.2") ? List.of("--tls-version-max", "1.2") : List.of("--tls-version-min", "1.3"));
        try (OpenVpnClientProcess c = OpenVpnClientProcess.start(dir, opts)) {
            assertTrue(c.awaitLog("Initialization Sequence Completed", CONNECT), c::log);
            String log = c.log();
            assertTrue(log.contains("PUSH: Received control message: 'PUSH_REPLY,"), log);
            assertTrue(log.contains("ifconfig " + FakeCore.ADDRESS + " 255.255.255.0"), log);
            assertTrue(log.contains("route-gateway 172.16.201.1"), log);
            assertTrue(log.contains("topology subnet"), log);
            assertTrue(log.contains("route 10.1.0.0 255.255.0.0"), log);
            assertTrue(log.contains("dhcp-option DNS 10.1.0.53"), log);
            assertTrue(log.contains("ping 1,ping-restart 5"), log);
            assertTrue(log.contains("cipher " + cipher), log);
            assertTrue(log.contains("protocol-flags cc-exit tls-ekm"), log);
            assertTrue(log.contains("peer-id "), log);
            assertTrue(log.contains("Data Channel: cipher '" + cipher + "'"), log);
            assertTrue(log.contains(tls.equals("1.2") ? "TLSv1.2" : "TLSv1.3"), log);
            assertEquals(1, core.endpoints.size());
            OpenVpnConnection conn = (OpenVpnConnection) core.endpoints.getFirst();

            // Keepalive both ways: the client pings us (we count authenticated pings), we ping the client
            // (its status file counts authenticated data bytes), and ping-restart 5 never fires.
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            SessionStats stats = conn.stats();
            while ((stats.pingsIn() < 2 || c.statusCounter("Auth read bytes").orElse(0L) == 0) && System.nanoTime() < deadline) {
                Thread.sleep(200);
                stats = conn.stats();
            }
            assertTrue(stats.pingsIn() >= 2, "pings from the client: " + stats);
            assertTrue(stats.pingsOut() >= 1, "pings to the client: " + stats);
            assertEquals(0, stats.rejectedData(), stats.toString());
            assertTrue(c.statusCounter("Auth read bytes").orElse(0L) > 0, "client decrypted nothing from us");
            // An IP packet from the core reaches the client's data channel too.
            long before = c.statusCounter("Auth read bytes").orElse(0L);
            conn.sendToClient(ByteBuffer.wrap(ipv4Packet(FakeCore.ADDRESS)));
            Thread.sleep(6000); // longer than ping-restart 5: proves our pings keep the client alive
            assertTrue(c.statusCounter("Auth read bytes").orElse(0L) > before);
            log = c.log();
            assertFalse(log.contains("Inactivity timeout"), log);
            assertFalse(log.contains("AEAD Decrypt error"), log);
            assertFalse(log.contains("Authenticate/Decrypt packet error"), log);
            assertTrue(c.isAlive());
        }
    }

    @Test
    void refusedClientGetsAuthFailedAndExits() throws Exception {
        Issued client = pki.client("mallory");
        core.revoked.add(client.thumbprint());
        try (OpenVpnClientProcess c = OpenVpnClientProcess.start(dir, clientOptions("tcp", Wrap.TLS_AUTH, client))) {
            assertTrue(c.awaitLog("AUTH_FAILED", CONNECT), c::log);
            assertTrue(c.waitForExit(Duration.ofSeconds(20)), "client should exit on AUTH_FAILED (auth-retry none)");
            assertTrue(c.log().contains("client certificate revoked"), c.log());
            assertFalse(c.log().contains("Initialization Sequence Completed"), c.log());
        }
        assertEquals(1, core.admissions.size());
        Admission.Refused r = assertInstanceOf(Admission.Refused.class, core.admissions.getFirst());
        assertEquals(io.p2sgw.dataplane.spi.RefusalReason.REVOKED, r.reason());
    }

    @Test
    void clientFromUnknownRootIsRefusedOverUdp() throws Exception {
        Issued stranger = otherPki.client("stranger");
        try (OpenVpnClientProcess c = OpenVpnClientProcess.start(dir, clientOptions("udp", Wrap.TLS_CRYPT, stranger))) {
            assertTrue(c.awaitLog("AUTH_FAILED", CONNECT), c::log);
            assertTrue(c.log().contains("client certificate not trusted"), c.log());
        }
        assertInstanceOf(Admission.Refused.class, core.admissions.getFirst());
    }

    @Test
    void wrongStaticKeyIsDroppedSilently() throws Exception {
        Issued client = pki.client("bob");
        List<String> opts = clientOptions("udp", Wrap.TLS_CRYPT, client);
        byte[] k = new byte[StaticKey.LENGTH];
        new SecureRandom().nextBytes(k);
        Files.writeString(dir.resolve("ta.key"), StaticKey.of(k).toOpenVpnFile());
        long created = ovpn.udp.sessionsCreated();
        try (OpenVpnClientProcess c = OpenVpnClientProcess.start(dir, opts)) {
            Thread.sleep(4000);
            assertFalse(c.log().contains("Initialization Sequence Completed"), c.log());
            // The client never hears a server reset: we answered nothing.
            assertFalse(c.log().contains("TLS: Initial packet from"), c.log());
        }
        assertTrue(core.admissions.isEmpty());
        assertEquals(created, ovpn.udp.sessionsCreated(), "no state for packets that fail tls-crypt");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renegotiationCases")
    void clientRenegotiationKeepsTheSession(String proto, Wrap wrap) throws Exception {
        Issued client = pki.client("carol");
        List<String> opts = clientOptions(proto, wrap, client);
        opts.addAll(List.of("--reneg-sec", "4"));
        try (OpenVpnClientProcess c = OpenVpnClientProcess.start(dir, opts)) {
            assertTrue(c.awaitLog("Initialization Sequence Completed", CONNECT), c::log);
            OpenVpnConnection conn = (OpenVpnConnection) core.endpoints.getFirst();
            long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
            while (conn.stats().renegotiations() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            SessionStats s = conn.stats();
            assertTrue(s.renegotiations() >= 2, s.toString());
            assertTrue(s.currentKeyId() >= 2, s.toString());
            long pings = s.pingsIn();
            long clientAuth = c.statusCounter("Auth read bytes").orElse(0L);
            Thread.sleep(3000);
            assertTrue(conn.stats().pingsIn() > pings, "pings still flow after renegotiation");
            assertTrue(c.statusCounter("Auth read bytes").orElse(0L) > clientAuth, "client still decrypts after renegotiation");
            assertEquals(1, core.admissions.size(), "renegotiation is not a new admission");
            String log = c.log();
            assertTrue(log.contains("TLS: soft reset"), log);
            assertEquals(1, c.count("Initialization Sequence Completed"), log);
            assertFalse(log.contains("AEAD Decrypt error"), log);
        }
    }

    static Stream<Arguments> renegotiationCases() {
        return Stream.of(Arguments.of("tcp", Wrap.TLS_AUTH), Arguments.of("udp", Wrap.TLS_CRYPT));
    }

    @Test
    void coreCloseSendsRestartToTheClient() throws Exception {
        Issued client = pki.client("dave");
        List<String> opts = clientOptions("udp", Wrap.TLS_AUTH, client);
        opts.addAll(List.of("--verb", System.getProperty("ovpn.verb", "4")));
        try (OpenVpnClientProcess c = OpenVpnClientProcess.start(dir, opts)) {
            assertTrue(c.awaitLog("Initialization Sequence Completed", CONNECT), c::log);
            core.endpoints.getFirst().close("certificate revoked");
            assertTrue(c.awaitLog("Connection reset command was pushed by server ('certificate revoked')", Duration.ofSeconds(10)), c::log);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (core.closes.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(1, core.closes.size());
        }
    }

    /**
     * A verified client reset from the address and port of a live UDP session proves only that the sender has
     * the static key, which every client package holds. The live session must survive it until the new session
     * authenticates (an untrusted newcomer never does), and a genuine restart then replaces it.
     */
    @Test
    void aResetFromALiveSessionsAddressEndsItOnlyWhenTheNewSessionAuthenticates() throws Exception {
        // Its own server with the default 60 s ping-restart, so the first client's silent session outlives the test.
        FakeCore own = new FakeCore(TunnelType.OPENVPN, pki.caCertificate()).withTunnelSecret(SecretBytes.of(staticKey.bytes()));
        OpenVpnServerConfig config = new OpenVpnServerConfig(server.privateKey(), List.of(server.certificate()), 0,
                Clock.systemUTC(), SessionSettings.defaults(), 64);
        try (OpenVpnTestServer srv = new OpenVpnTestServer(config, own)) {
            int port;
            try (java.net.DatagramSocket probe = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            }
            Issued alice = pki.client("alice-udp");
            try (OpenVpnClientProcess a = OpenVpnClientProcess.start(dir,
                    fixedPort(clientOptions("udp", Wrap.TLS_AUTH, alice, srv.udpPort()), port))) {
                assertTrue(a.awaitLog("Initialization Sequence Completed", CONNECT), a::log);
            } // stopped without telling the server (no explicit-exit-notify): its session lives on
            assertEquals(1, srv.udp.sessionCount());
            assertTrue(own.closes.isEmpty(), own.closes::toString);

            // Same address and port, valid static key, certificate from an unknown root: refused, live session kept.
            Issued stranger = otherPki.client("spoofer");
            try (OpenVpnClientProcess m = OpenVpnClientProcess.start(dir,
                    fixedPort(clientOptions("udp", Wrap.TLS_AUTH, stranger, srv.udpPort()), port))) {
                assertTrue(m.awaitLog("AUTH_FAILED", CONNECT), m::log);
            }
            assertTrue(own.closes.isEmpty(), "the live session survived the spoofed reset: " + own.closes);
            assertEquals(1, srv.udp.sessionCount());

            // The genuine client restarts from the same port: once it authenticates, it replaces the old session.
            try (OpenVpnClientProcess a2 = OpenVpnClientProcess.start(dir,
                    fixedPort(clientOptions("udp", Wrap.TLS_AUTH, alice, srv.udpPort()), port))) {
                assertTrue(a2.awaitLog("Initialization Sequence Completed", CONNECT), a2::log);
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (own.closes.isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertEquals(List.of("client restarted with a new session"), own.closes);
                assertEquals(1, srv.udp.sessionCount());
            }
        }
    }

    /** The client options with a fixed local port instead of {@code --nobind}, to reuse one source address. */
    private static List<String> fixedPort(List<String> options, int port) {
        List<String> out = new ArrayList<>(options);
        out.remove("--nobind");
        out.addAll(List.of("--lport", Integer.toString(port)));
        return out;
    }

    private List<String> clientOptions(String proto, Wrap wrap, Issued client) throws Exception {
        return clientOptions(proto, wrap, client, proto.equals("tcp") ? ovpn.tcpPort() : ovpn.udpPort());
    }

    private List<String> clientOptions(String proto, Wrap wrap, Issued client, int port) throws Exception {
        pki.ca().writeCertificatePem(dir.resolve("ca.pem"));
        client.writeCertificatePem(dir.resolve("client.pem"));
        client.writeKeyPem(dir.resolve("client.key"));
        Files.writeString(dir.resolve("ta.key"), staticKey.toOpenVpnFile());
        List<String> opts = new ArrayList<>(List.of(
                "--client", "--dev", "null", "--proto", proto.equals("tcp") ? "tcp-client" : "udp",
                "--remote", "127.0.0.1", Integer.toString(port), "--nobind", "--remote-cert-tls", "server",
                "--ca", "ca.pem", "--cert", "client.pem", "--key", "client.key", "--verb", "4",
                "--connect-retry-max", "1", "--connect-retry", "1", "1", "--auth-retry", "none",
                "--ifconfig-noexec", "--route-noexec", "--hand-window", "30", "--tls-timeout", "1"));
        if (wrap == Wrap.TLS_AUTH) {
            opts.addAll(List.of("--tls-auth", "ta.key", "1", "--auth", "SHA256"));
        } else {
            opts.addAll(List.of("--tls-crypt", "ta.key"));
        }
        return opts;
    }

    /** A minimal IPv4/UDP packet to the client's address. */
    private static byte[] ipv4Packet(String dst) {
        byte[] p = new byte[28 + 4];
        p[0] = 0x45;
        p[3] = (byte) p.length;
        p[8] = 64;
        p[9] = 17;
        byte[] src = {10, 1, 0, 4};
        System.arraycopy(src, 0, p, 12, 4);
        String[] d = dst.split("\\.");
        for (int i = 0; i < 4; i++) {
            p[16 + i] = (byte) Integer.parseInt(d[i]);
        }
        return p;
    }
}
