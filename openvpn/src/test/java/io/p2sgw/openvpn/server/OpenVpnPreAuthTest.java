package io.p2sgw.openvpn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.dataplane.api.SecretBytes;
import io.p2sgw.dataplane.api.TunnelType;
import io.p2sgw.dataplane.spi.DatagramPeer;
import io.p2sgw.dataplane.spi.DatagramSender;
import io.p2sgw.dataplane.spi.PreAuthBudget.Refusal;
import io.p2sgw.dataplane.spi.PreAuthBudget.Transport;
import io.p2sgw.dataplane.spi.StreamReceiver;
import io.p2sgw.dataplane.spi.StreamWriter;
import io.p2sgw.openvpn.testing.TestStaticKeys;
import io.p2sgw.openvpn.wire.ControlPacket;
import io.p2sgw.openvpn.wire.Opcode;
import io.p2sgw.openvpn.wire.StaticKey;
import io.p2sgw.openvpn.wire.TlsAuthWrap;
import io.p2sgw.testkit.core.FakeCore;
import io.p2sgw.testkit.core.RecordingPreAuthBudget;
import io.p2sgw.testkit.pki.Issued;
import io.p2sgw.testkit.pki.TestPki;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * OpenVPN and the core's pre-authentication budget (issue 13): garbage and bad-HMAC datagrams were silent in
 * {@code /metrics}; now each is reported to the budget by reason, and so is a TCP stream that is not OpenVPN's or whose
 * first packet fails tls-auth. A verified reset takes a ticket before any session
 * state, none is made when the budget has no place, and the session ends when the ticket expires. Datagrams are pushed
 * straight into the service's receiver, as the core's reader does.
 */
@Timeout(30)
class OpenVpnPreAuthTest {
    private static final InetSocketAddress LOCAL = new InetSocketAddress(InetAddress.getLoopbackAddress(), 1194);
    private final DatagramPeer attacker = new DatagramPeer(0xC633_6407, 40000, 1, LOCAL); // 198.51.100.7
    private final AtomicInteger sent = new AtomicInteger();
    private FakeCore core;
    private OpenVpnUdpService udp;
    private OpenVpnUdpService.Run run;
    private StaticKey clientKey;

    @BeforeEach
    void start() throws Exception {
        TestPki pki = TestPki.ec("preauth root");
        Issued server = pki.server("vpn.example.test");
        byte[] k = TestStaticKeys.server();
        clientKey = TestStaticKeys.clientOf(k);
        core = new FakeCore(TunnelType.OPENVPN, pki.caCertificate()).withTunnelSecret(SecretBytes.of(StaticKey.of(k).bytes()));
        udp = new OpenVpnUdpService(OpenVpnServerConfig.of(server.privateKey(), List.of(server.certificate())).withUdpPort(0));
        run = udp.start(new CountingSender(), core);
    }

    private final class CountingSender implements DatagramSender {
        @Override
        public boolean send(ByteBuffer datagram, DatagramPeer to) {
            sent.incrementAndGet();
            return true;
        }

        @Override
        public boolean queue(ByteBuffer datagram, DatagramPeer to) {
            sent.incrementAndGet();
            return true;
        }

        @Override
        public void flush() {
        }

        @Override
        public List<InetSocketAddress> localAddresses() {
            return List.of(LOCAL);
        }
    }

    private byte[] validReset(long sessionId) throws Exception {
        ControlPacket reset = new ControlPacket(Opcode.CONTROL_HARD_RESET_CLIENT_V2, 0, sessionId, List.of(), 0, 0, new byte[0]);
        return new TlsAuthWrap(clientKey, Clock.systemUTC().millis() / 1000).wrap(reset.encode());
    }

    @Test
    void garbageAndBadHmacDatagramsAreCountedAndKeepNoState() throws Exception {
        Random random = new Random(13);
        int junk = 0;
        for (int i = 0; i < 1000; i++) {
            byte[] d = new byte[1 + random.nextInt(1400)];
            random.nextBytes(d);
            if (d[0] == Opcode.CONTROL_HARD_RESET_CLIENT_V2.firstByte(0)) {
                d[0] = 0; // the reset opcode is the bad-HMAC case below
            }
            run.received(ByteBuffer.wrap(d), attacker);
            junk++;
        }
        run.received(ByteBuffer.allocate(0), attacker);
        run.received(ByteBuffer.allocate(OpenVpnUdpService.MAX_DATAGRAM + 1), attacker);
        junk += 2;
        for (int i = 0; i < 50; i++) {
            byte[] forged = validReset(0x1111_0000L + i);
            forged[forged.length - 1] ^= 1; // one flipped bit: tls-auth's HMAC fails
            run.received(ByteBuffer.wrap(forged), attacker);
        }
        RecordingPreAuthBudget budget = core.budget;
        assertEquals(junk, budget.refusals(Transport.UDP, Refusal.JUNK));
        assertEquals(50, budget.refusals(Transport.UDP, Refusal.BAD_HMAC));
        assertEquals(List.of(), budget.tickets, "nothing unverified takes a place");
        assertEquals(0, udp.sessionCount());
        assertEquals(0, sent.get(), "nothing is answered");
    }

    @Test
    void aVerifiedResetTakesATicketAndItsSessionEndsWhenTheTicketExpires() throws Exception {
        run.received(ByteBuffer.wrap(validReset(0x0102_0304_0506_0708L)), attacker);
        assertEquals(1, udp.sessionCount());
        RecordingPreAuthBudget.Held ticket = core.budget.tickets.getFirst();
        assertEquals(attacker.remote(), ticket.from, "keyed by the address admission names");
        assertEquals(Transport.UDP, ticket.transport);

        ticket.expire(); // the core's deadline
        while (udp.sessionCount() > 0) {
            Thread.sleep(5); // the session ends on a thread of its own, off the core's timer
        }
        assertTrue(ticket.released);
        assertEquals(1, core.budget.refusals(Transport.UDP, Refusal.TIMEOUT));
    }

    /** A stream writer that takes everything (the TCP tests look only at what is reported). */
    private static final StreamWriter NOWHERE = new StreamWriter() {
        @Override
        public boolean write(ByteBuffer bytes) {
            return true;
        }

        @Override
        public long dropped() {
            return 0;
        }

        @Override
        public void close() {
        }
    };

    private static byte[] framed(byte[] packet) {
        byte[] f = new byte[2 + packet.length];
        f[0] = (byte) (packet.length >>> 8);
        f[1] = (byte) packet.length;
        System.arraycopy(packet, 0, f, 2, packet.length);
        return f;
    }

    @Test
    void aTcpStreamWhoseFirstPacketFailsTlsAuthOrThatLosesItsFramingIsReported() throws Exception {
        TestPki pki = TestPki.ec("preauth tcp root");
        Issued server = pki.server("vpn.example.test");
        try (OpenVpnStreamProtocol tcp = new OpenVpnStreamProtocol(
                OpenVpnServerConfig.of(server.privateKey(), List.of(server.certificate())))) {
            InetSocketAddress remote = attacker.remote();
            byte[] forged = validReset(0x2222_0000L);
            forged[forged.length - 1] ^= 1;
            StreamReceiver r = tcp.open(remote, NOWHERE, core);
            assertFalse(r.received(ByteBuffer.wrap(framed(forged))), "closed after a forged first packet");
            r.ended("closed by the server");
            assertEquals(1, core.budget.refusals(Transport.TCP, Refusal.BAD_HMAC));

            StreamReceiver junk = tcp.open(remote, NOWHERE, core);
            assertFalse(junk.received(ByteBuffer.wrap(new byte[] {0, 0, 0x38})), "a zero length breaks the framing");
            junk.ended("closed by the server");
            assertEquals(1, core.budget.refusals(Transport.TCP, Refusal.JUNK));

            StreamReceiver good = tcp.open(remote, NOWHERE, core);
            assertTrue(good.received(ByteBuffer.wrap(framed(validReset(0x3333_0000L)))), "a verified reset starts a session");
            good.ended("test over");
            assertEquals(1, core.budget.refusals(Transport.TCP, Refusal.BAD_HMAC), "and is not reported");
        }
    }

    @Test
    void noSessionIsMadeWhenTheBudgetHasNoPlace() throws Exception {
        core.budget.places = false;
        run.received(ByteBuffer.wrap(validReset(0x0102_0304_0506_0708L)), attacker);
        assertEquals(0, udp.sessionCount());
        assertEquals(0, sent.get());
        assertEquals(1, core.budget.refusals(Transport.UDP, Refusal.TOTAL_CAP));
    }
}
