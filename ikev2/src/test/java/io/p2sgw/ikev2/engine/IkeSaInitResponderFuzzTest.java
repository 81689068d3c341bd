package io.p2sgw.ikev2.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.p2sgw.ikev2.wire.IkeHeader;
import io.p2sgw.ikev2.wire.IkeMessage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.List;

/**
 * Jazzer target for the IKE_SA_INIT responder: any datagram gives actions, never an exception; every message it
 * sends decodes and is a response; a second delivery of the same bytes creates no second SA. Seeds in
 * {@code src/test/resources/io/p2sgw/ikev2/engine/IkeSaInitResponderFuzzTestInputs/}.
 */
class IkeSaInitResponderFuzzTest {
    static final InetSocketAddress PEER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 500);
    static final InetSocketAddress LOCAL = new InetSocketAddress(InetAddress.getLoopbackAddress(), 4500);

    @FuzzTest
    void receive(byte[] data) {
        IkeSaInitResponder r = new IkeSaInitResponder(IkePolicy.defaults(List.of(new byte[20]), true),
                new SecureRandom());
        int created = 0;
        for (int round = 0; round < 2; round++) {
            List<IkeAction> actions;
            try {
                actions = r.receive(new InboundDatagram(data, PEER, LOCAL), round * 1000L);
            } catch (RuntimeException e) {
                throw new AssertionError("receive threw " + e, e);
            }
            assertTrue(!actions.isEmpty());
            for (IkeAction a : actions) {
                if (a instanceof IkeAction.Send s) {
                    IkeMessage m = IkeMessage.decode(s.message(), 0, s.message().length);
                    assertTrue(m.header().isResponse());
                    assertEquals(IkeHeader.VERSION_2_0, m.header().version());
                } else if (a instanceof IkeAction.HalfOpenCreated) {
                    created++;
                }
            }
        }
        assertTrue(created <= 1, "a retransmission created a second SA");
    }
}
