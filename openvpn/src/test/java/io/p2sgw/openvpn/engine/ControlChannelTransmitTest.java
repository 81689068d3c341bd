package io.p2sgw.openvpn.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.openvpn.wire.ControlPacket;
import io.p2sgw.openvpn.wire.Opcode;
import io.p2sgw.openvpn.wire.TlsAuthWrap;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The session hands its control-channel packets to {@link SessionHost#transmitControl}, which a TCP binding keeps for
 * a slow client instead of dropping them with the data (StreamWriter#writeReliably): a renegotiation during a
 * saturated download depends on it.
 */
class ControlChannelTransmitTest {

    static final class SplitHost implements SessionHost {
        final List<Opcode> control = new ArrayList<>();
        int data;

        @Override
        public void transmit(byte[] buf, int off, int len) {
            data++;
        }

        @Override
        public void transmitControl(byte[] buf, int off, int len) {
            control.add(Opcode.ofFirstByteOrNull(buf[off] & 0xFF));
        }

        @Override
        public AuthDecision authenticate(List<X509Certificate> clientChain, String peerInfoSummary) {
            return new AuthDecision.Rejected("not reached");
        }

        @Override
        public void deliver(byte[] buf, int off, int len) {
        }

        @Override
        public void ended(String reason) {
        }
    }

    @Test
    void theResetAnswerAndItsRetransmissionGoThroughTransmitControl() {
        SplitHost host = new SplitHost();
        long now = 1_000_000;
        OpenVpnSession session = new OpenVpnSession(new TlsAuthWrap(OpenVpnSessionFuzzTest.SERVER_KEY, 1), OpenVpnSessionFuzzTest.TLS,
                host, OpenVpnSessionFuzzTest.SETTINGS, new SplittableRandom(7), 1, "transmit-test", now);
        ControlPacket reset = new ControlPacket(Opcode.CONTROL_HARD_RESET_CLIENT_V2, 0, 0x0102030405060708L, List.of(), 0, 0, new byte[0]);
        session.onPacket(new TlsAuthWrap(OpenVpnSessionFuzzTest.CLIENT_KEY, 1).wrap(reset.encode()), now);
        assertTrue(host.control.contains(Opcode.CONTROL_HARD_RESET_SERVER_V2), "the server's reset answer: " + host.control);
        int before = host.control.size();
        // Not acknowledged: after the retransmit timeout the answer is sent again, by the same path.
        session.tick(now + 3 * OpenVpnSessionFuzzTest.SETTINGS.tlsTimeout().toMillis());
        assertTrue(host.control.size() > before, "the retransmission went through transmitControl: " + host.control);
        assertEquals(0, host.data, "no control packet went through the droppable data path");
    }
}
