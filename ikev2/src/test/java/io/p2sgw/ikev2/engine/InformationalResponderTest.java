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
import io.p2sgw.ikev2.crypto.ChildKeys;
import io.p2sgw.ikev2.crypto.DhGroup;
import io.p2sgw.ikev2.crypto.EncryptionAlgorithm;
import io.p2sgw.ikev2.crypto.KeyDerivation;
import io.p2sgw.ikev2.crypto.KeyExchange;
import io.p2sgw.ikev2.wire.KePayload;
import io.p2sgw.ikev2.wire.NoncePayload;
import io.p2sgw.ikev2.wire.PayloadType;
import io.p2sgw.ikev2.wire.Proposal;
import io.p2sgw.ikev2.wire.SaPayload;
import io.p2sgw.ikev2.wire.TrafficSelectorPayload;
import io.p2sgw.ikev2.wire.Transform;
import io.p2sgw.ikev2.wire.TransformType;
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
        return new Up(p, new InformationalResponder(sa, p.responder.cipher(), IkePolicy.defaults(List.of(), false),
                ChildPolicy.defaults(List.of(), List.of()), p.host, new java.security.SecureRandom()), sa);
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
    void clientDeletesItsOnlyChildSaAndIsToldTheIkeSaEndsToo() throws Exception {
        Up u = up();
        List<IkeAction> a = u.send(u.request(2, List.of(DeletePayload.esp(List.of(u.sa.child().outboundSpi())))));
        assertEquals(4, a.size(), a.toString());
        // We answer with our inbound SPI of the pair (ikev2.md §7.2).
        assertEquals(List.of(u.sa.child().inboundSpi()), ((DeletePayload) u.open(a.getFirst(), 2).getFirst()).espSpis());
        assertEquals(u.sa.child(), assertInstanceOf(IkeAction.ChildDeleted.class, a.get(1)).child());
        // It was the only one: the IKE SA goes too (P2S has no use for it), and the client hears so in a D(IKE)
        // request of ours (flags 0x00, our Message ID 0) rather than keeping an IKE SA we forgot.
        byte[] m = assertInstanceOf(IkeAction.Send.class, a.get(2)).message();
        IkeMessage msg = IkeMessage.decode(m, 0, m.length);
        assertEquals(0, msg.header().flags());
        assertEquals(0, msg.header().messageId());
        EncryptedPayload sk = (EncryptedPayload) msg.payloads().getLast();
        byte[] inner = u.pair.clientCipher.open(m, 0, m.length, sk);
        assertEquals(List.of(DeletePayload.ike()), PayloadChain.decode(inner, 0, inner.length, sk.firstInnerType(), 0,
                true));
        assertEquals(IkeAuthResponderTest.CLIENT_4500, ((IkeAction.Send) a.get(2)).to());
        IkeAction.Deleted d = assertInstanceOf(IkeAction.Deleted.class, a.get(3));
        assertEquals(u.sa.init().responderSpi(), d.responderSpi());
        assertTrue(d.reason().contains("last CHILD SA"), d.reason());
    }

    @Test
    void clientRejectingOurAuthEndsTheSa() throws Exception {
        Up u = up();
        List<IkeAction> a = u.send(u.request(2, List.of(NotifyPayload.of(NotifyType.AUTHENTICATION_FAILED))));
        assertEquals(List.of(), u.open(a.getFirst(), 2));
        assertTrue(assertInstanceOf(IkeAction.Deleted.class, a.get(1)).reason().contains("AUTHENTICATION_FAILED"));
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

    @Test
    void ourLivenessCheckIsRetransmittedUntilAnsweredOrTheClientCountsAsGone() throws Exception {
        Up u = up();
        List<IkeAction> a = u.info.livenessCheck(10_000);
        byte[] m = ((IkeAction.Send) a.getFirst()).message();
        IkeMessage msg = IkeMessage.decode(m, 0, m.length);
        assertEquals(0, msg.header().flags());
        assertEquals(0, msg.header().messageId());
        assertEquals(ExchangeType.INFORMATIONAL.code(), msg.header().exchangeType());
        assertEquals(List.of(), u.info.livenessCheck(10_001), "a window of one");
        assertEquals(List.of(), u.info.tick(11_999, IkeAuthResponderTest.CLIENT_4500));
        // Retransmitted byte for byte on schedule.
        assertArrayEquals(m, ((IkeAction.Send) u.info.tick(12_000, IkeAuthResponderTest.CLIENT_4500).getFirst())
                .message());
        // A forged answer does not end the check; the client's real one (flags 0x28, our Message ID) does.
        byte[] answer = u.pair.clientCipher.seal(new IkeHeader(u.pair.c.spi, u.pair.sa.responderSpi(), 0,
                IkeHeader.VERSION_2_0, ExchangeType.INFORMATIONAL.code(),
                IkeHeader.FLAG_INITIATOR | IkeHeader.FLAG_RESPONSE, 0, 0), List.of());
        byte[] forged = answer.clone();
        forged[forged.length - 1] ^= 1;
        assertInstanceOf(IkeAction.Dropped.class, u.send(forged).getFirst());
        assertTrue(u.info.awaitingAnswer());
        assertEquals(List.of(), u.send(answer));
        assertTrue(!u.info.awaitingAnswer());
        assertEquals(List.of(), u.info.tick(100_000, IkeAuthResponderTest.CLIENT_4500));

        // The next check goes unanswered: five transmissions, then the SA ends.
        long t = 200_000;
        u.info.livenessCheck(t);
        int sends = 1;
        List<IkeAction> out = List.of();
        for (long wait : InformationalResponder.RETRANSMIT_MILLIS) {
            t += wait;
            out = u.info.tick(t, IkeAuthResponderTest.CLIENT_4500);
            if (!out.isEmpty() && out.getFirst() instanceof IkeAction.Send) {
                sends++;
            }
        }
        assertEquals(InformationalResponder.RETRANSMIT_MILLIS.length, sends);
        assertTrue(assertInstanceOf(IkeAction.Deleted.class, out.getFirst()).reason().contains("dead peer"));
    }

    static Proposal espProposal(int number, int spi, Optional<DhGroup> pfs) {
        byte[] b = java.nio.ByteBuffer.allocate(4).putInt(spi).array();
        List<Transform> t = new java.util.ArrayList<>(List.of(Transform.of(TransformType.ENCR, 20, 256)));
        pfs.ifPresent(g -> t.add(Transform.of(TransformType.DH, g.transformId())));
        t.add(Transform.of(TransformType.ESN, 0));
        return new Proposal(number, Proposal.PROTOCOL_ESP, b, t);
    }

    static List<Payload> rekeyRequest(Up u, byte[] ni, List<Proposal> proposals, Optional<KePayload> ke) {
        byte[] oldSpi = java.nio.ByteBuffer.allocate(4).putInt(u.sa.child().outboundSpi()).array();
        List<Payload> ps = new java.util.ArrayList<>();
        ps.add(new NotifyPayload(Proposal.PROTOCOL_ESP, oldSpi, NotifyType.REKEY_SA.code(), new byte[0]));
        ps.add(new SaPayload(proposals));
        ps.add(new NoncePayload(ni));
        ke.ifPresent(ps::add);
        ps.add(new TrafficSelectorPayload(false, u.sa.child().tsi()));
        ps.add(new TrafficSelectorPayload(true, u.sa.child().tsr()));
        return ps;
    }

    /** macOS's form (ikev2.md §2.4): no KE; then the client deletes the old CHILD SA. */
    @Test
    void childRekeyWithoutPfsThenTheOldOneIsDeleted() throws Exception {
        Up u = up();
        byte[] ni = new byte[32];
        java.util.Arrays.fill(ni, (byte) 7);
        List<IkeAction> a = u.send(u.request(ExchangeType.CREATE_CHILD_SA, 2,
                rekeyRequest(u, ni, List.of(espProposal(1, 0x0a0b0c0d, Optional.empty())), Optional.empty())));
        List<Payload> reply = u.open(a.getFirst(), 2);
        assertEquals(List.of(PayloadType.SA, PayloadType.NONCE, PayloadType.TSI, PayloadType.TSR),
                reply.stream().map(Payload::type).toList());
        IkeAction.ChildRekeyed r = assertInstanceOf(IkeAction.ChildRekeyed.class, a.get(1));
        assertEquals(u.sa.child(), r.old());
        assertEquals(0x0a0b0c0d, r.replacement().outboundSpi());
        Proposal chosen = ((SaPayload) reply.getFirst()).proposals().getFirst();
        assertEquals(r.replacement().inboundSpi(), java.nio.ByteBuffer.wrap(chosen.spi()).getInt());
        // New keys = prf+(SK_d, Ni | Nr) with the exchange's nonces (RFC 7296 §2.17).
        byte[] nr = ((NoncePayload) reply.get(1)).nonce();
        ChildKeys expected = KeyDerivation.childKeys(u.pair.init.suite().prf(), u.pair.init.keys().skD(),
                EncryptionAlgorithm.AES_GCM_16_256, Optional.empty(), Optional.empty(), ni, nr);
        assertArrayEquals(expected.encryptionInitiator(), r.replacement().keys().encryptionInitiator());
        assertEquals(2, u.info.children().size());

        // The client deletes the old SA: we answer with our old inbound SPI and keep the IKE SA.
        List<IkeAction> del = u.send(u.request(3, List.of(DeletePayload.esp(List.of(u.sa.child().outboundSpi())))));
        assertEquals(List.of(u.sa.child().inboundSpi()), ((DeletePayload) u.open(del.getFirst(), 3).getFirst())
                .espSpis());
        assertEquals(2, del.size());
        assertEquals(u.sa.child(), assertInstanceOf(IkeAction.ChildDeleted.class, del.get(1)).child());
        assertEquals(List.of(r.replacement()), u.info.children());
    }

    /** iOS's PFS form (ikev2.md §2.4): one proposal with a DH group plus a KE, one without. */
    @Test
    void childRekeyWithPfs() throws Exception {
        Up u = up();
        KeyExchange client = DhGroup.ECP_256.newKeyExchange(new java.security.SecureRandom());
        byte[] ni = new byte[32];
        List<IkeAction> a = u.send(u.request(ExchangeType.CREATE_CHILD_SA, 2, rekeyRequest(u, ni,
                List.of(espProposal(1, 0x0a0b0c0e, Optional.of(DhGroup.ECP_256)),
                        espProposal(2, 0x0a0b0c0e, Optional.empty())),
                Optional.of(new KePayload(19, client.publicValue())))));
        List<Payload> reply = u.open(a.getFirst(), 2);
        KePayload theirs = (KePayload) reply.stream().filter(KePayload.class::isInstance).findFirst().orElseThrow();
        assertEquals(19, theirs.group());
        assertEquals(1, ((SaPayload) reply.getFirst()).proposals().getFirst().number());
        byte[] gir = client.sharedSecret(theirs.keyData());
        byte[] nr = ((NoncePayload) reply.stream().filter(NoncePayload.class::isInstance).findFirst().orElseThrow())
                .nonce();
        ChildKeys expected = KeyDerivation.childKeys(u.pair.init.suite().prf(), u.pair.init.keys().skD(),
                EncryptionAlgorithm.AES_GCM_16_256, Optional.empty(), Optional.of(gir), ni, nr);
        IkeAction.ChildRekeyed r = assertInstanceOf(IkeAction.ChildRekeyed.class, a.get(1));
        assertArrayEquals(expected.encryptionResponder(), r.replacement().keys().encryptionResponder());
    }

    @Test
    void childRekeyErrors() throws Exception {
        Up u = up();
        byte[] ni = new byte[32];
        // PFS only, in a group we do not accept as KE (x448), but 31 would do: INVALID_KE_PAYLOAD asking for 31.
        Proposal onlyPfs = new Proposal(1, Proposal.PROTOCOL_ESP, new byte[] {0, 0, 1, 0}, List.of(
                Transform.of(TransformType.ENCR, 20, 256), Transform.of(TransformType.DH, 32),
                Transform.of(TransformType.DH, 31)));
        List<IkeAction> a = u.send(u.request(ExchangeType.CREATE_CHILD_SA, 2, rekeyRequest(u, ni, List.of(onlyPfs),
                Optional.of(new KePayload(32, new byte[56])))));
        NotifyPayload n = (NotifyPayload) u.open(a.getFirst(), 2).getFirst();
        assertTrue(n.is(NotifyType.INVALID_KE_PAYLOAD));
        assertArrayEquals(new byte[] {0, 31}, n.data());
        // A REKEY_SA naming an SPI we do not know.
        List<Payload> unknown = rekeyRequest(u, ni, List.of(espProposal(1, 5, Optional.empty())), Optional.empty());
        unknown.set(0, new NotifyPayload(3, new byte[] {9, 9, 9, 9}, NotifyType.REKEY_SA.code(), new byte[0]));
        assertTrue(((NotifyPayload) u.open(u.send(u.request(ExchangeType.CREATE_CHILD_SA, 3, unknown)).getFirst(), 3)
                .getFirst()).is(NotifyType.CHILD_SA_NOT_FOUND));
        // An IKE SA rekey (no REKEY_SA notify): not built yet.
        assertTrue(((NotifyPayload) u.open(u.send(u.request(ExchangeType.CREATE_CHILD_SA, 4, List.of(
                new NoncePayload(ni)))).getFirst(), 4).getFirst()).is(NotifyType.NO_ADDITIONAL_SAS));
        assertEquals(1, u.info.children().size());
    }

    /** strongSwan's IKE rekey (ikev2.md §7.4): SA(IKE, SPI size 8) Ni KE, then D(IKE) on the old SA. */
    @Test
    void ikeRekeyMovesTheChildSasToTheNewSa() throws Exception {
        Up u = up();
        KeyExchange client = DhGroup.CURVE25519.newKeyExchange(new java.security.SecureRandom());
        long newSpiI = 0x5555666677778888L;
        byte[] ni = new byte[32];
        java.util.Arrays.fill(ni, (byte) 3);
        Proposal p = io.p2sgw.ikev2.wire.StrongSwanMessages.aeadProposal(new int[] {31});
        Proposal withSpi = new Proposal(p.number(), Proposal.PROTOCOL_IKE,
                java.nio.ByteBuffer.allocate(8).putLong(newSpiI).array(), p.transforms());
        List<IkeAction> a = u.send(u.request(ExchangeType.CREATE_CHILD_SA, 2, List.of(new SaPayload(List.of(withSpi)),
                new NoncePayload(ni), new KePayload(31, client.publicValue()))));
        List<Payload> reply = u.open(a.getFirst(), 2);
        assertEquals(List.of(PayloadType.SA, PayloadType.NONCE, PayloadType.KE),
                reply.stream().map(Payload::type).toList());
        Proposal chosen = ((SaPayload) reply.getFirst()).proposals().getFirst();
        assertEquals(8, chosen.spi().length);
        long newSpiR = java.nio.ByteBuffer.wrap(chosen.spi()).getLong();
        // The PRF stays the old SA's (SHA2-256), as strongSwan expects.
        assertEquals(List.of(Transform.of(TransformType.PRF, 5)), chosen.transformsOf(TransformType.PRF));
        IkeAction.IkeRekeyed r = assertInstanceOf(IkeAction.IkeRekeyed.class, a.get(1));
        assertEquals(newSpiR, r.replacement().init().responderSpi());
        assertEquals(newSpiI, r.replacement().init().initiatorSpi());
        assertEquals(List.of(u.sa.child()), r.children());
        // The client's side of RFC 7296 §2.18.
        byte[] nr = ((NoncePayload) reply.get(1)).nonce();
        byte[] gir = client.sharedSecret(((KePayload) reply.get(2)).keyData());
        io.p2sgw.ikev2.crypto.PrfAlgorithm prf = u.pair.init.suite().prf();
        io.p2sgw.ikev2.crypto.IkeKeys keys = KeyDerivation.ikeKeys(r.replacement().init().suite(),
                KeyDerivation.rekeyedSkeyseed(prf, u.pair.init.keys().skD(), gir, ni, nr), ni, nr, newSpiI, newSpiR);
        assertArrayEquals(keys.skD(), r.replacement().init().keys().skD());
        assertArrayEquals(keys.skEr(), r.replacement().init().keys().skEr());

        // The new SA answers from Message ID 0 under the new keys; the old one's D(IKE) ends only the old SA.
        InformationalResponder next = InformationalResponder.afterIkeRekey(r, IkePolicy.defaults(List.of(), false),
                ChildPolicy.defaults(List.of(), List.of()), u.pair.host, new java.security.SecureRandom());
        io.p2sgw.ikev2.crypto.SkCipher clientNew = io.p2sgw.ikev2.crypto.SkCipher.initiator(
                r.replacement().init().suite(), keys, new java.security.SecureRandom());
        byte[] dpd = clientNew.seal(new IkeHeader(newSpiI, newSpiR, 0, IkeHeader.VERSION_2_0,
                ExchangeType.INFORMATIONAL.code(), IkeHeader.FLAG_INITIATOR, 0, 0), List.of());
        List<IkeAction> answered = next.receive(new InboundDatagram(dpd, IkeAuthResponderTest.CLIENT_4500,
                IkeAuthResponderTest.GATEWAY_4500), 3_000);
        assertInstanceOf(IkeAction.Send.class, answered.getFirst());
        assertEquals(List.of(u.sa.child()), next.children());
        List<IkeAction> oldGone = u.send(u.request(3, List.of(DeletePayload.ike())));
        assertInstanceOf(IkeAction.Deleted.class, oldGone.get(1));
        assertEquals(List.of(), u.info.children());
    }
}
