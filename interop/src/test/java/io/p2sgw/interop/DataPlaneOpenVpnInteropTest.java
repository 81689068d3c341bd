package io.p2sgw.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.p2sgw.dataplane.api.ConnectionLimits;
import io.p2sgw.dataplane.api.GatewaySnapshot;
import io.p2sgw.dataplane.api.SessionInfo;
import io.p2sgw.dataplane.api.StaticKey;
import io.p2sgw.dataplane.api.TrustedCertificate;
import io.p2sgw.dataplane.api.TunnelType;
import io.p2sgw.dataplane.core.DataPlaneConfig;
import io.p2sgw.dataplane.core.GatewayDataPlane;
import io.p2sgw.dataplane.transport.StreamAcceptor;
import io.p2sgw.dataplane.tun.LinuxTun;
import io.p2sgw.lab.Cmd;
import io.p2sgw.lab.Lab;
import io.p2sgw.lab.OpenVpnClient;
import io.p2sgw.openvpn.server.OpenVpnServerConfig;
import io.p2sgw.openvpn.server.OpenVpnStreamProtocol;
import io.p2sgw.openvpn.server.OpenVpnUdpService;
import io.p2sgw.pki.CertificateIssuer;
import io.p2sgw.pki.Certificates;
import io.p2sgw.pki.KeyAndChain;
import io.p2sgw.pki.KeyType;
import io.p2sgw.pki.Pem;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The data-plane core with the OpenVPN protocol and the stock openvpn 2.6 client, without the control plane:
 * a {@link GatewayDataPlane} in this JVM listening on the lab's host leg (198.51.100.1), its FFM TUN moved into
 * the lab's gateway namespace (which routes to the VNet), snapshots applied by hand. Proves: pool address, ping and
 * HTTP to the VM through the TUN, TCP and UDP, revocation closing a live session while another stays, and
 * reconnecting being refused. Root only.
 */
@Tag("interop")
@Timeout(300)
class DataPlaneOpenVpnInteropTest {
    static final String PUBLIC = Lab.HOST_ADDRESS;
    static Lab lab;
    static GatewayDataPlane dp;
    static KeyAndChain root;
    static KeyAndChain serverCa;
    static StaticKey staticKey;
    static CertificateIssuer issuer = CertificateIssuer.withSystemClock();
    static List<String> namespacesBefore;
    static long version = 1;

    @BeforeAll
    static void start() throws Exception {
        Optional<String> why = Lab.whyUnavailable();
        assumeTrue(why.isEmpty(), () -> "interop tests skipped: " + why.orElse(""));
        namespacesBefore = Cmd.run("ip", "netns", "list").output().lines().sorted().toList();
        lab = Lab.start(Lab.Options.seed(3));
        try {
            String gw = lab.gatewayNamespace();
            String dev = "p2e" + lab.runId();
            LinuxTun tun = LinuxTun.open(dev);
            Cmd.run("ip", "link", "set", dev, "netns", gw).orThrow();
            lab.exec(gw, "ip", "addr", "add", "172.16.201.1/24", "dev", dev).orThrow();
            lab.exec(gw, "ip", "link", "set", dev, "mtu", "1500", "up").orThrow();
            lab.exec(gw, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1").orThrow();

            root = issuer.createRoot("P2SRootCert", KeyType.RSA2048, Duration.ofDays(30));
            serverCa = issuer.createRoot("p2sgw lab gateway CA", KeyType.RSA2048, Duration.ofDays(30));
            KeyAndChain server = issuer.createServer(serverCa, "vnet1gw.lab.test", List.of("vnet1gw.lab.test"), List.of(PUBLIC),
                    KeyType.RSA2048, Duration.ofDays(30));
            byte[] k = new byte[StaticKey.LENGTH];
            new SecureRandom().nextBytes(k);
            staticKey = StaticKey.of(k);
            OpenVpnServerConfig ovpn = OpenVpnServerConfig.of(server.key(), server.chain());
            DataPlaneConfig cfg = new DataPlaneConfig(InetAddress.getByName(PUBLIC), 443, dev, 1500, false,
                    List.of(new OpenVpnStreamProtocol(ovpn)), List.of(new OpenVpnUdpService(ovpn)),
                    StreamAcceptor.ProbeLimits.DEFAULT, new SimpleMeterRegistry(), Clock.systemUTC());
            dp = new GatewayDataPlane(cfg);
            dp.useExternalTun(tun);
            dp.apply(snapshot(Set.of()));
            assertTrue(dp.status().startsWith("running"), dp.status());
        } catch (Exception | AssertionError e) {
            stop();
            throw e;
        }
    }

    @AfterAll
    static void stop() {
        if (dp != null) {
            dp.close();
        }
        if (lab != null) {
            lab.close();
            assertEquals(namespacesBefore, Cmd.run("ip", "netns", "list").output().lines().sorted().toList());
        }
    }

    static GatewaySnapshot snapshot(Set<String> revoked) {
        return new GatewaySnapshot(version++, "/subscriptions/s/resourceGroups/TestRG1/providers/Microsoft.Network/virtualNetworkGateways/VNet1GW",
                "VNet1GW", List.of(Lab.CLIENT_POOL), Set.of(TunnelType.OPENVPN),
                List.of(new TrustedCertificate("P2SRootCert", Certificates.thumbprint(root.certificate()), root.certificate())),
                revoked, List.of(Lab.VNET_PREFIX, Lab.CLIENT_POOL), List.of(), new ConnectionLimits(128, 500), false, 0, staticKey,
                "vnet1gw.lab.test");
    }

    /** A profile like the package's (azure-p2s.md §3.4): tls-auth with key-direction 1, SHA256, TCP 443 or UDP 1194. */
    static Path profile(int i, String proto, KeyAndChain client) throws Exception {
        Path dir = lab.newDirectory("dp-client" + i + "-" + proto);
        Files.writeString(dir.resolve("ca.pem"), Pem.certificatesToPem(serverCa.chain()));
        Files.writeString(dir.resolve("client.pem"), Pem.certificatesToPem(client.chain()));
        Files.writeString(dir.resolve("client.key"), Pem.privateKeyToPem(client.key()));
        Files.writeString(dir.resolve("ta.key"), staticKey.toOpenVpnFile());
        String remote = proto.equals("tcp") ? "remote " + PUBLIC + " 443\nproto tcp-client\n" : "remote " + PUBLIC + " 1194\nproto udp\n";
        Files.writeString(dir.resolve("client.ovpn"), """
                client
                dev tun
                %snobind
                remote-cert-tls server
                auth SHA256
                cipher AES-256-GCM
                tls-version-min 1.2
                key-direction 1
                tls-auth ta.key
                ca ca.pem
                cert client.pem
                key client.key
                connect-retry 1 1
                auth-retry none
                verb 4
                """.formatted(remote));
        return dir.resolve("client.ovpn");
    }

    static OpenVpnClient connect(int i, String proto, KeyAndChain cert) throws Exception {
        OpenVpnClient c = lab.startOpenVpn(i, profile(i, proto, cert), List.of());
        assertTrue(c.awaitConnected(Duration.ofSeconds(60)), () -> "client " + i + " (" + proto + ") did not connect:\n" + c.process().tail(40)
                + "\nstatus: " + dp.status());
        return c;
    }

    @Test
    void tcpAndUdpClientsReachTheVmAndRevocationCutsOneOffAtOnce() throws Exception {
        KeyAndChain alice = issuer.createClient(root, "alice", KeyType.RSA2048, Duration.ofDays(30));
        KeyAndChain bob = issuer.createClient(root, "bob", KeyType.RSA2048, Duration.ofDays(30));
        List<OpenVpnClient> started = new ArrayList<>();
        try {
            OpenVpnClient a = connect(1, "tcp", alice);
            started.add(a);
            OpenVpnClient b = connect(2, "udp", bob);
            started.add(b);
            String aAddr = a.tunnelAddress().orElseThrow();
            String bAddr = b.tunnelAddress().orElseThrow();
            assertTrue(aAddr.startsWith("172.16.201.") && bAddr.startsWith("172.16.201.") && !aAddr.equals(bAddr), aAddr + " " + bAddr);
            for (int i = 1; i <= 2; i++) {
                assertTrue(lab.ping(lab.clientNamespace(i), Lab.VM_ADDRESS, Duration.ofSeconds(5)), "client " + i + " pings the VM");
                assertEquals(Optional.of(Lab.VM_INDEX_BODY),
                        lab.httpGet(lab.clientNamespace(i), "http://" + Lab.VM_ADDRESS + "/", Duration.ofSeconds(10)));
            }
            List<SessionInfo> sessions = dp.sessions();
            assertEquals(2, sessions.size());
            assertTrue(sessions.stream().allMatch(s -> s.ingressPackets() > 0 && s.egressPackets() > 0), sessions.toString());
            assertEquals(Set.of(aAddr, bAddr), Set.copyOf(sessions.stream().map(SessionInfo::privateAddress).toList()));

            Instant t0 = Instant.now();
            dp.apply(snapshot(Set.of(Certificates.thumbprint(alice.certificate()))));
            assertTrue(dp.sessions().stream().noneMatch(s -> s.userName().equals("alice")), "alice's session is gone at once");
            boolean told = a.process().awaitLog("Connection reset command was pushed by server", Duration.ofSeconds(10))
                    || a.process().awaitLog("AUTH_FAILED", Duration.ofSeconds(1));
            System.out.println("[interop] alice told after " + Duration.between(t0, Instant.now()).toMillis() + " ms");
            assertTrue(told, a.process().tail(20));
            assertTrue(a.process().awaitLog("AUTH_FAILED", Duration.ofSeconds(60)) || !a.process().isAlive(),
                    "reconnecting is refused: " + a.process().tail(20));
            assertTrue(lab.ping(lab.clientNamespace(2), Lab.VM_ADDRESS, Duration.ofSeconds(5)), "bob stays up");
        } finally {
            started.forEach(OpenVpnClient::close);
        }
    }
}
