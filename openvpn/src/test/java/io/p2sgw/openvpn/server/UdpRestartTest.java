package io.p2sgw.openvpn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.p2sgw.dataplane.api.SecretBytes;
import io.p2sgw.dataplane.api.TunnelType;
import io.p2sgw.openvpn.testing.TestStaticKeys;
import io.p2sgw.openvpn.wire.ControlPacket;
import io.p2sgw.openvpn.wire.Opcode;
import io.p2sgw.openvpn.wire.StaticKey;
import io.p2sgw.openvpn.wire.TlsAuthWrap;
import io.p2sgw.testkit.core.FakeCore;
import io.p2sgw.testkit.pki.Issued;
import io.p2sgw.testkit.pki.TestPki;
import io.p2sgw.testkit.transport.LoopbackDatagramHost;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Defect of issue 12: removing OpenVPN from {@code vpnClientProtocols} and adding it back left UDP 1194 bound but never
 * read (the service's closed flag was never reset on start), and a third enable failed to bind. Now every enable is a
 * fresh run on sockets the core binds: five enables each answer a client reset on the same port, and each disable
 * frees it.
 */
class UdpRestartTest {
    @Test
    void everyEnableBindsServesAndReleasesThePort() throws Exception {
        TestPki pki = TestPki.ec("restart root");
        Issued server = pki.server("vpn.example.test");
        byte[] k = TestStaticKeys.server();
        FakeCore core = new FakeCore(TunnelType.OPENVPN, pki.caCertificate()).withTunnelSecret(SecretBytes.of(StaticKey.of(k).bytes()));
        int port;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        OpenVpnServerConfig config = OpenVpnServerConfig.of(server.privateKey(), List.of(server.certificate())).withUdpPort(port);
        OpenVpnUdpService udp = new OpenVpnUdpService(config);
        for (int round = 0; round < 5; round++) {
            try (LoopbackDatagramHost host = new LoopbackDatagramHost(udp, core);
                    DatagramSocket client = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                client.setSoTimeout(5000);
                ControlPacket reset = new ControlPacket(Opcode.CONTROL_HARD_RESET_CLIENT_V2, 0, 0x0102030405060700L + round,
                        List.of(), 0, 0, new byte[0]);
                byte[] wrapped = new TlsAuthWrap(TestStaticKeys.clientOf(k), Clock.systemUTC().millis() / 1000).wrap(reset.encode());
                client.send(new DatagramPacket(wrapped, wrapped.length, new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
                DatagramPacket answer = new DatagramPacket(new byte[2048], 2048);
                client.receive(answer);
                assertEquals(Opcode.CONTROL_HARD_RESET_SERVER_V2.firstByte(0), answer.getData()[0], "round " + round);
                assertEquals(port, answer.getPort(), "the answer leaves from the port the client sent to");
                assertEquals(1, udp.sessionCount(), "round " + round + " starts with no session of an earlier run");
            }
            assertEquals(0, udp.sessionCount(), "disabling ends the run's sessions");
        }
    }
}
