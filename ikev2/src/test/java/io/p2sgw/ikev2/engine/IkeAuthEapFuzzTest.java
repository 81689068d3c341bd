package io.p2sgw.ikev2.engine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.p2sgw.ikev2.wire.ExchangeType;
import io.p2sgw.ikev2.wire.IkeHeader;
import io.p2sgw.ikev2.wire.IkeMessage;
import java.util.Arrays;
import java.util.List;

/**
 * Jazzer target for the EAP phase of IKE_AUTH (RFC 7296 §2.16): after a real first exchange (no AUTH, our
 * {@code IDr CERT AUTH EAP(Start)} answer), the input is sealed as IKE_AUTH request 2 under the real IKE SA: its
 * first byte is the first inner payload type, the rest the inner chain (an EAP payload for the core's EAP-TLS, an
 * AUTH, garbage). An authenticated peer must not make the responder throw; every answer must be a decodable response.
 * Seeds in {@code src/test/resources/io/p2sgw/ikev2/engine/IkeAuthEapFuzzTestInputs/}.
 */
class IkeAuthEapFuzzTest {
    private static boolean ready;

    private static synchronized void pki() throws Exception {
        if (!ready) {
            IkeAuthEapTlsTest.pki();
            ready = true;
        }
    }

    @FuzzTest
    void eapExchange(byte[] data) throws Exception {
        if (data.length == 0) {
            return;
        }
        pki();
        IkeAuthEapTlsTest.Run r = new IkeAuthEapTlsTest().new Run(IkeAuthResponderTest.client);
        r.open(r.send(r.firstRequest()), 1);
        byte[] sealed = r.clientCipher.seal(new IkeHeader(r.c.spi, r.sa.responderSpi(), 0, IkeHeader.VERSION_2_0,
                ExchangeType.IKE_AUTH.code(), IkeHeader.FLAG_INITIATOR, 2, 0), data[0] & 0xFF,
                Arrays.copyOfRange(data, 1, data.length));
        List<IkeAction> actions;
        try {
            actions = r.deliver(sealed);
        } catch (RuntimeException e) {
            throw new AssertionError("receive threw " + e, e);
        }
        assertFalse(actions.isEmpty());
        for (IkeAction a : actions) {
            if (a instanceof IkeAction.Send s) {
                IkeMessage m = IkeMessage.decode(s.message(), 0, s.message().length);
                assertTrue(m.header().isResponse());
            }
        }
    }
}
