package io.p2sgw.ikev2.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.ikev2.wire.DeletePayload;
import io.p2sgw.ikev2.wire.EncryptedPayload;
import io.p2sgw.ikev2.wire.ExchangeType;
import io.p2sgw.ikev2.wire.IkeHeader;
import io.p2sgw.ikev2.wire.IkeMessage;
import io.p2sgw.ikev2.wire.NotifyPayload;
import io.p2sgw.ikev2.wire.NotifyType;
import io.p2sgw.ikev2.wire.Payload;
import io.p2sgw.ikev2.wire.PayloadChain;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** INFORMATIONAL after IKE_AUTH (ikev2.md §4.3, §7.1, §7.2): liveness, deletes, retransmissions, our own D(IKE). */
class InformationalResponderTest {
    @BeforeAll
    static void pki() throws Exception {
        IkeAuthResponderTest.pki();
    }

    record Up(IkeAuthResponderTest.Pair pair, InformationalResponder info, EstablishedIkeSa sa) {
        byte[] request(int messageId, List<Payload> payloads) {
            return request(ExchangeType.INFORMATIONAL, messageId, payloads);
        }

        byte[] request(ExchangeType type, int messageId, List<Payload> payloads) {
            return pair.clientCipher.seal(new IkeHeader(pair.c.spi, pair.sa.responderSpi(), 0,
                    IkeHeader.VERSION_2_0, type.code(), IkeHeader.FLAG_INITIATOR, messageId, 0), payloads);
        }

        List<IkeAction> send(byte[] m) {
            return info.receive(new InboundDatagram(m, IkeAuthResponderTest.CLIENT_4500,
                    IkeAuthResponderTest.GATEWAY_4500), 2_000);
        }

        /** The one response's header and inner payloads. */
        List<Payload> open(IkeAction a, int messageId) {
            byte[] m = ((IkeAction.Send) a).message();
            IkeMessage msg = IkeMessage.decode(m, 0, m.length);
            assertEquals(IkeHeader.FLAG_RESPONSE, msg.header().flags());
            assertEquals(messageId, msg.header().messageId());
            EncryptedPayload sk = (EncryptedPayload) msg.payloads().getLast();
            byte[] inner = pair.clientCipher.open(m, 0, m.length, sk);
            return PayloadChain.decode(inner, 0, inner.length, sk.firstInnerType(), 0, true);
        }
    }

    static Up up() throws Exception {
        IkeAuthResponderTest.Pair p = new IkeAuthResponderTest().new Pair();
        List<IkeAction> a = p.send(p.clientCipher.seal(p.header(), p.request(Optional.empty())));
        EstablishedIkeSa sa = assertInstanceOf(IkeAction.Established.class, a.getLast()).sa();
        return new Up(p, new InformationalResponder(sa, p.responder.cipher()), sa);
    }

    @Test
    void livenessCheckGetsAnEmptyAnswerAndRetransmissionsTheSameBytes() throws Exception {
        Up u = up();
        byte[] dpd = u.request(2, List.of());
        List<IkeAction> a = u.send(dpd);
        assertEquals(1, a.size());
        assertEquals(List.of(), u.open(a.getFirst(), 2));
        assertArrayEquals(((IkeAction.Send) a.getFirst()).message(),
                ((IkeAction.Send) u.send(dpd).getFirst()).message());
        // The next one is 3; 2 again is a retransmission, 5 and 1 are outside the window.
        assertEquals(List.of(), u.open(u.send(u.request(3, List.of())).getFirst(), 3));
        assertInstanceOf(IkeAction.Dropped.class, u.send(u.request(5, List.of())).getFirst());
        assertInstanceOf(IkeAction.Dropped.class, u.send(u.request(1, List.of())).getFirst());
    }

    @Test
    void clientDeletesTheIkeSa() throws Exception {
        Up u = up();
        List<IkeAction> a = u.send(u.request(2, List.of(DeletePayload.ike())));
        assertEquals(List.of(), u.open(a.getFirst(), 2));
        assertEquals(u.sa.init().responderSpi(), assertInstanceOf(IkeAction.Deleted.class, a.get(1)).responderSpi());
    }

    @Test
    void clientDeletesItsChildSa() throws Exception {
        Up u = up();
        List<IkeAction> a = u.send(u.request(2, List.of(DeletePayload.esp(List.of(u.sa.child().outboundSpi())))));
        // We answer with our inbound SPI of the pair (ikev2.md §7.2).
        assertEquals(List.of(u.sa.child().inboundSpi()), ((DeletePayload) u.open(a.getFirst(), 2).getFirst()).espSpis());
        assertInstanceOf(IkeAction.Deleted.class, a.get(1));
    }

    @Test
    void clientRejectingOurAuthEndsTheSa() throws Exception {
        Up u = up();
        List<IkeAction> a = u.send(u.request(2, List.of(NotifyPayload.of(NotifyType.AUTHENTICATION_FAILED))));
        assertEquals(List.of(), u.open(a.getFirst(), 2));
        assertTrue(assertInstanceOf(IkeAction.Deleted.class, a.get(1)).reason().contains("AUTHENTICATION_FAILED"));
    }

    @Test
    void rekeysAreRefusedForNow() throws Exception {
        Up u = up();
        List<IkeAction> a = u.send(u.request(ExchangeType.CREATE_CHILD_SA, 2, List.of()));
        assertTrue(((NotifyPayload) u.open(a.getFirst(), 2).getFirst()).is(NotifyType.NO_ADDITIONAL_SAS));
    }

    @Test
    void ourDeleteUsesOurOwnMessageIdsAndFlags() throws Exception {
        Up u = up();
        List<IkeAction> a = u.info.deleteIke("revoked");
        byte[] m = ((IkeAction.Send) a.getFirst()).message();
        IkeMessage msg = IkeMessage.decode(m, 0, m.length);
        // Flags 0x00 (we are the responder of the SA, sending a request) and Message ID 0 (ikev2.md §1.1, §4.3).
        assertEquals(0, msg.header().flags());
        assertEquals(0, msg.header().messageId());
        assertEquals(IkeAuthResponderTest.CLIENT_4500, ((IkeAction.Send) a.getFirst()).to());
        byte[] inner = u.pair.clientCipher.open(m, 0, m.length, (EncryptedPayload) msg.payloads().getLast());
        List<Payload> inside = PayloadChain.decode(inner, 0, inner.length,
                ((EncryptedPayload) msg.payloads().getLast()).firstInnerType(), 0, true);
        assertEquals(List.of(DeletePayload.ike()), inside);
        assertEquals("revoked", ((IkeAction.Deleted) a.get(1)).reason());
        // The next request of ours takes Message ID 1.
        byte[] second = ((IkeAction.Send) u.info.deleteIke("again").getFirst()).message();
        assertEquals(1, IkeMessage.decode(second, 0, second.length).header().messageId());
    }
}
