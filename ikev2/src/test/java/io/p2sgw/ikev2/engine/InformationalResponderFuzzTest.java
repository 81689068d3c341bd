package io.p2sgw.ikev2.engine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.p2sgw.ikev2.wire.ExchangeType;
import io.p2sgw.ikev2.wire.IkeHeader;
import io.p2sgw.ikev2.wire.IkeMessage;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;

/**
 * Jazzer target for the exchanges of an established IKE SA behind decryption: byte 0 picks INFORMATIONAL or
 * CREATE_CHILD_SA, byte 1 is the first inner payload type, the rest the inner chain, sealed by the test client under
 * a real IKE SA. An authenticated peer must not make the responder throw; its answers must decode. Seeds in
 * {@code src/test/resources/io/p2sgw/ikev2/engine/InformationalResponderFuzzTestInputs/}.
 */
class InformationalResponderFuzzTest {
    private static InformationalResponderTest.Up up;

    private static synchronized InformationalResponderTest.Up up() throws Exception {
        if (up == null) {
            IkeAuthResponderTest.pki();
            up = InformationalResponderTest.up();
        }
        return up;
    }

    @FuzzTest
    void exchange(byte[] data) throws Exception {
        if (data.length < 2) {
            return;
        }
        InformationalResponderTest.Up u = up();
        ExchangeType type = (data[0] & 1) == 0 ? ExchangeType.INFORMATIONAL : ExchangeType.CREATE_CHILD_SA;
        byte[] sealed = u.pair().clientCipher.seal(new IkeHeader(u.pair().c.spi, u.pair().sa.responderSpi(), 0,
                IkeHeader.VERSION_2_0, type.code(), IkeHeader.FLAG_INITIATOR, 2, 0), data[1] & 0xFF,
                Arrays.copyOfRange(data, 2, data.length));
        InformationalResponder fresh = new InformationalResponder(u.sa(), u.pair().responder.cipher(),
                IkePolicy.defaults(List.of(), true), ChildPolicy.defaults(List.of(), List.of()), u.pair().host,
                new SecureRandom());
        List<IkeAction> actions;
        try {
            actions = fresh.receive(new InboundDatagram(sealed, IkeAuthResponderTest.CLIENT_4500,
                    IkeAuthResponderTest.GATEWAY_4500), 0);
        } catch (RuntimeException e) {
            throw new AssertionError("receive threw " + e, e);
        }
        assertFalse(actions.isEmpty());
        for (IkeAction a : actions) {
            if (a instanceof IkeAction.Send s && !IkeMessage.decode(s.message(), 0, s.message().length).header()
                    .isResponse()) {
                // Only our D(IKE) after the client deleted its last CHILD SA: the IKE SA ends with it.
                assertTrue(actions.getLast() instanceof IkeAction.Deleted, actions::toString);
            }
        }
    }
}
