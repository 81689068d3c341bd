package io.p2sgw.ikev2.engine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.p2sgw.ikev2.wire.IkeMessage;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;

/**
 * Jazzer target for what lies behind decryption in IKE_AUTH: the input's first byte is the first inner payload type
 * and the rest the inner chain; the test client seals it under a real IKE SA so the responder authenticates it and
 * then parses and acts on it. An authenticated peer must not be able to make the responder throw; every answer must
 * be a decodable message. Seeds in {@code src/test/resources/io/p2sgw/ikev2/engine/IkeAuthResponderFuzzTestInputs/}.
 */
class IkeAuthResponderFuzzTest {
    private static IkeAuthResponderTest.Pair pair;

    private static synchronized IkeAuthResponderTest.Pair pair() throws Exception {
        if (pair == null) {
            IkeAuthResponderTest.pki();
            pair = new IkeAuthResponderTest().new Pair();
        }
        return pair;
    }

    @FuzzTest
    void innerChain(byte[] data) throws Exception {
        if (data.length == 0) {
            return;
        }
        IkeAuthResponderTest.Pair p = pair();
        byte[] sealed = p.clientCipher.seal(p.header(), data[0] & 0xFF, Arrays.copyOfRange(data, 1, data.length));
        IkeAuthResponder fresh = new IkeAuthResponder(p.sa, IkePolicy.defaults(List.of(), false),
                ChildPolicy.defaults(List.of(TrafficSelectors.ipv4(new byte[] {10, 1, 0, 0}, 16)), List.of()),
                new ServerCredentials(IkeAuthResponderTest.server.keys().getPrivate(),
                        List.of(IkeAuthResponderTest.server.cert()), List.of("vpn.example.test")),
                new IkeAuthResponderTest.Host(), new SecureRandom());
        List<IkeAction> actions;
        try {
            actions = fresh.receive(new InboundDatagram(sealed, IkeAuthResponderTest.CLIENT_4500,
                    IkeAuthResponderTest.GATEWAY_4500), 0);
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
