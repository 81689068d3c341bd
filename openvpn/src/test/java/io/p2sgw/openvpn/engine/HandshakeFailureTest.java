package io.p2sgw.openvpn.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.openvpn.wire.ControlPacket;
import io.p2sgw.openvpn.wire.Opcode;
import io.p2sgw.openvpn.wire.TlsAuthWrap;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A client whose first TLS handshake fails (here: bytes that are not TLS inside a well-wrapped control packet) is
 * reported to the host as a failed handshake before authentication, which the server binding counts in the core's
 * pre-authentication refusals ({@code handshake_failed}, issue 13).
 */
class HandshakeFailureTest {
    static final class Host implements SessionHost {
        final List<String> failures = new ArrayList<>();

        @Override
        public void transmit(byte[] buf, int off, int len) {
        }

        @Override
        public AuthDecision authenticate(List<X509Certificate> clientChain, String peerInfoSummary) {
            return new AuthDecision.Rejected("test");
        }

        @Override
        public void deliver(byte[] buf, int off, int len) {
        }

        @Override
        public void ended(String reason) {
        }

        @Override
        public void handshakeFailed(String why) {
            failures.add(why);
        }
    }

    @Test
    void aFirstHandshakeThatIsNotTlsIsReportedAsAFailedHandshake() {
        Host host = new Host();
        long now = 1_000_000;
        OpenVpnSession session = new OpenVpnSession(new TlsAuthWrap(OpenVpnSessionFuzzTest.SERVER_KEY, 1),
                OpenVpnSessionFuzzTest.TLS, host, OpenVpnSessionFuzzTest.SETTINGS, new SplittableRandom(1), 7, "test", now);
        TlsAuthWrap client = new TlsAuthWrap(OpenVpnSessionFuzzTest.CLIENT_KEY, 1);
        long sid = 0x0A0B_0C0D_0E0F_1011L;
        session.onPacket(client.wrap(new ControlPacket(Opcode.CONTROL_HARD_RESET_CLIENT_V2, 0, sid, List.of(), 0, 0,
                new byte[0]).encode()), now);
        assertEquals(List.of(), host.failures, "a reset is no failure");
        byte[] notTls = "GET / HTTP/1.1\r\nHost: vpn\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        session.onPacket(client.wrap(new ControlPacket(Opcode.CONTROL_V1, 0, sid, List.of(), 0, 1, notTls).encode()), now);
        assertEquals(1, host.failures.size(), "reported once");
        assertTrue(host.failures.getFirst().startsWith("TLS handshake failed"), host.failures.getFirst());
    }
}
