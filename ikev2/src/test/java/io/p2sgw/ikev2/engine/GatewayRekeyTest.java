package io.p2sgw.ikev2.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.ikev2.crypto.ChildKeys;
import io.p2sgw.ikev2.crypto.DhGroup;
import io.p2sgw.ikev2.crypto.EncryptionAlgorithm;
import io.p2sgw.ikev2.crypto.KeyDerivation;
import io.p2sgw.ikev2.crypto.KeyExchange;
import io.p2sgw.ikev2.esp.EspSa;
import io.p2sgw.ikev2.esp.InboundEspSa;
import io.p2sgw.ikev2.esp.OutboundEspSa;
import io.p2sgw.ikev2.wire.DeletePayload;
import io.p2sgw.ikev2.wire.EncryptedPayload;
import io.p2sgw.ikev2.wire.ExchangeType;
import io.p2sgw.ikev2.wire.IkeHeader;
import io.p2sgw.ikev2.wire.IkeMessage;
import io.p2sgw.ikev2.wire.KePayload;
import io.p2sgw.ikev2.wire.NoncePayload;
import io.p2sgw.ikev2.wire.NotifyPayload;
import io.p2sgw.ikev2.wire.NotifyType;
import io.p2sgw.ikev2.wire.Payload;
import io.p2sgw.ikev2.wire.PayloadChain;
import io.p2sgw.ikev2.wire.PayloadType;
import io.p2sgw.ikev2.wire.Proposal;
import io.p2sgw.ikev2.wire.SaPayload;
import io.p2sgw.ikev2.wire.TrafficSelectorPayload;
import io.p2sgw.ikev2.wire.Transform;
import io.p2sgw.ikev2.wire.TransformType;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The exchanges the gateway starts on an established IKE SA besides liveness checks (RFC 7296 §1.3.3, §2.8; ikev2.md
 * §7.3, §7.5): its own CHILD SA rekey at the soft lifetime or the sequence number limit, the D(ESP) of the old SA,
 * the hard lifetime, collisions with the client's rekeys; and the client deleting its only CHILD SA (§1.4.1).
 * Byte-level: the test plays strongSwan's side with its own key derivation and ESP.
 */
class GatewayRekeyTest {
    static final Duration LIFETIME = Duration.ofSeconds(100);
    static final int CLIENT_NEW_SPI = 0x0c0d0e0f;

    @BeforeAll
    static void pki() throws Exception {
        IkeAuthResponderTest.pki();
    }

    static InformationalResponderTest.Up up(ChildLifetime lifetime) throws Exception {
        InformationalResponderTest.Up u = InformationalResponderTest.up();
        u.info().withTimers(new ChildTimers(lifetime, new SecureRandom()), 0);
        return u;
    }

    /** A request of ours: flags 0x00 (we are the IKE SA's responder sending a request), our Message ID. */
    static IkeMessage ours(InformationalResponderTest.Up u, IkeAction a, ExchangeType type, int messageId) {
        IkeAction.Send s = assertInstanceOf(IkeAction.Send.class, a);
        byte[] m = s.message();
        IkeMessage msg = IkeMessage.decode(m, 0, m.length);
        assertEquals(0, msg.header().flags());
        assertEquals(messageId, msg.header().messageId());
        assertEquals(type.code(), msg.header().exchangeType());
        EncryptedPayload sk = (EncryptedPayload) msg.payloads().getLast();
        byte[] inner = u.pair().clientCipher.open(m, 0, m.length, sk);
        return new IkeMessage(msg.header(), PayloadChain.decode(inner, 0, inner.length, sk.firstInnerType(), 0, true));
    }

    /** The client's answer to our request {@code messageId}: flags 0x28 (original initiator, response). */
    static List<IkeAction> answer(InformationalResponderTest.Up u, ExchangeType type, int messageId,
            List<Payload> payloads, long now) {
        byte[] m = u.pair().clientCipher.seal(new IkeHeader(u.pair().c.spi, u.pair().sa.responderSpi(), 0,
                IkeHeader.VERSION_2_0, type.code(), IkeHeader.FLAG_INITIATOR | IkeHeader.FLAG_RESPONSE, messageId, 0),
                payloads);
        return u.info().receive(new InboundDatagram(m, IkeAuthResponderTest.CLIENT_4500,
                IkeAuthResponderTest.GATEWAY_4500), now);
    }

    /** strongSwan as the responder of our rekey: SA(the one proposal, its new SPI) Nr [KE] TSi TSr. */
    static List<Payload> rekeyAnswer(IkeMessage request, byte[] nr, Optional<KePayload> ke) {
        Proposal offered = request.first(SaPayload.class).orElseThrow().proposals().getFirst();
        Proposal chosen = new Proposal(offered.number(), Proposal.PROTOCOL_ESP,
                ByteBuffer.allocate(4).putInt(CLIENT_NEW_SPI).array(), offered.transforms());
        List<Payload> ps = new java.util.ArrayList<>(List.of(new SaPayload(List.of(chosen)), new NoncePayload(nr)));
        ke.ifPresent(ps::add);
        ps.addAll(request.all(TrafficSelectorPayload.class));
        return ps;
    }

    /** Selectors compared by content (their addresses are arrays). */
    static List<String> text(List<io.p2sgw.ikev2.wire.TrafficSelector> selectors) {
        return selectors.stream().map(t -> t.tsType() + " " + t.ipProtocol() + " " + t.startPort() + "-" + t.endPort()
                + " " + Arrays.toString(t.startAddress()) + "-" + Arrays.toString(t.endAddress())).toList();
    }

    @Test
    void theGatewayRekeysItsChildSaAtTheSoftLifetimeThenDeletesTheOldOne() throws Exception {
        InformationalResponderTest.Up u = up(new ChildLifetime(LIFETIME));
        ChildSa old = u.sa().child();
        long due = u.info().nextTimer();
        // Soft limit at 80-90 % of the lifetime, jittered (strongSwan's rekey_time / rand_time, ikev2.md §7.5).
        assertTrue(due >= 80_000 && due <= 90_000, "rekey due at " + due);
        assertEquals(List.of(), u.info().tick(due - 1, IkeAuthResponderTest.CLIENT_4500));

        List<IkeAction> a = u.info().tick(due, IkeAuthResponderTest.CLIENT_4500);
        assertEquals(1, a.size());
        IkeMessage req = ours(u, a.getFirst(), ExchangeType.CREATE_CHILD_SA, 0);
        assertEquals(List.of(PayloadType.NOTIFY, PayloadType.SA, PayloadType.NONCE, PayloadType.TSI, PayloadType.TSR),
                req.payloads().stream().map(Payload::type).toList());
        // N(REKEY_SA, ESP, the SPI the client knows the old SA by on its side: our inbound one), RFC 7296 §1.3.3.
        NotifyPayload rekeySa = req.findNotify(NotifyType.REKEY_SA).orElseThrow();
        assertEquals(Proposal.PROTOCOL_ESP, rekeySa.protocolId());
        assertEquals(old.inboundSpi(), ByteBuffer.wrap(rekeySa.spi()).getInt());
        // The old SA's own algorithms, ESN none, no PFS; our new inbound SPI.
        Proposal offer = req.first(SaPayload.class).orElseThrow().proposals().getFirst();
        assertEquals(List.of(Transform.of(TransformType.ENCR, 20, 256), Transform.of(TransformType.ESN, 0)),
                offer.transforms());
        int ourNewSpi = ByteBuffer.wrap(offer.spi()).getInt();
        // We initiate this exchange, so TSi are ours (the old TSr) and TSr the client's (RFC 7296 §2.9).
        List<TrafficSelectorPayload> ts = req.all(TrafficSelectorPayload.class);
        assertEquals(text(old.tsr()), text(ts.getFirst().selectors()));
        assertEquals(text(old.tsi()), text(ts.getLast().selectors()));
        assertTrue(u.info().awaitingAnswer());
        assertEquals(List.of(), u.info().livenessCheck(due + 1), "one request at a time");

        byte[] ni = req.first(NoncePayload.class).orElseThrow().nonce();
        byte[] nr = new byte[32];
        Arrays.fill(nr, (byte) 0x5a);
        List<IkeAction> done = answer(u, ExchangeType.CREATE_CHILD_SA, 0, rekeyAnswer(req, nr, Optional.empty()),
                due + 50);
        IkeAction.ChildRekeyed r = assertInstanceOf(IkeAction.ChildRekeyed.class, done.getFirst());
        assertTrue(r.byGateway());
        assertEquals(old, r.old());
        assertEquals(ourNewSpi, r.replacement().inboundSpi());
        assertEquals(CLIENT_NEW_SPI, r.replacement().outboundSpi());

        // Keys: prf+(SK_d, Ni | Nr) with our nonce as Ni; the first half is the initiator's (our) sending direction.
        ChildKeys exchange = KeyDerivation.childKeys(u.pair().init.suite().prf(), u.pair().init.keys().skD(),
                EncryptionAlgorithm.AES_GCM_16_256, Optional.empty(), Optional.empty(), ni, nr);
        EspSa gateway = EspSa.of(r.replacement());
        InboundEspSa clientIn = new InboundEspSa(CLIENT_NEW_SPI, EncryptionAlgorithm.AES_GCM_16_256,
                Optional.empty(), exchange.encryptionInitiator(), exchange.integrityInitiator(), 64);
        OutboundEspSa clientOut = new OutboundEspSa(ourNewSpi, EncryptionAlgorithm.AES_GCM_16_256, Optional.empty(),
                exchange.encryptionResponder(), exchange.integrityResponder());
        byte[] packet = {0x45, 0, 0, 20, 0, 0, 0, 0, 64, 1, 0, 0, (byte) 172, 16, (byte) 201, 7, 10, 1, 0, 4};
        byte[] wire = new byte[gateway.outbound().sealedLength(packet.length)];
        gateway.outbound().seal(packet, 0, packet.length, wire, 0);
        assertEquals(packet.length, clientIn.open(wire, 0, wire.length), "the client opens what we send");
        wire = new byte[clientOut.sealedLength(packet.length)];
        clientOut.seal(packet, 0, packet.length, wire, 0);
        assertEquals(packet.length, gateway.inbound().open(wire, 0, wire.length), "we open what the client sends");

        // The initiator of the rekey deletes the old SA (RFC 7296 §2.8): D(ESP, our old inbound SPI) as request 1.
        IkeMessage del = ours(u, done.get(1), ExchangeType.INFORMATIONAL, 1);
        assertEquals(List.of(DeletePayload.esp(List.of(old.inboundSpi()))), del.payloads());
        assertEquals(List.of(old, r.replacement()), u.info().children(), "the old SA lives until the client answers");
        List<IkeAction> gone = answer(u, ExchangeType.INFORMATIONAL, 1,
                List.of(DeletePayload.esp(List.of(old.outboundSpi()))), due + 100);
        assertEquals(old, assertInstanceOf(IkeAction.ChildDeleted.class, gone.getFirst()).child());
        assertEquals(List.of(r.replacement()), u.info().children());
        assertFalse(u.info().awaitingAnswer());
        // The new SA has clocks of its own from its start.
        long next = u.info().nextTimer();
        assertTrue(next >= due + 50 + 80_000 && next <= due + 50 + 90_000, "next rekey at " + next);
    }

    @Test
    void sequenceNumbersNearTheirEndRekeyWithoutALifetime() throws Exception {
        InformationalResponderTest.Up u = up(ChildLifetime.UNLIMITED);
        assertEquals(Long.MAX_VALUE, u.info().nextTimer());
        assertEquals(List.of(), u.info().tick(1_000_000, IkeAuthResponderTest.CLIENT_4500));
        u.info().sequenceNumbersRunningOut(u.sa().child().inboundSpi(), 1_000_000);
        List<IkeAction> a = u.info().tick(1_000_500, IkeAuthResponderTest.CLIENT_4500);
        IkeMessage req = ours(u, a.getFirst(), ExchangeType.CREATE_CHILD_SA, 0);
        assertTrue(req.findNotify(NotifyType.REKEY_SA).isPresent());

        // The client refuses: logged, retried ten seconds later, not on every tick, and not hurried again.
        List<IkeAction> refused = answer(u, ExchangeType.CREATE_CHILD_SA, 0,
                List.of(NotifyPayload.of(NotifyType.NO_PROPOSAL_CHOSEN)), 1_001_000);
        assertTrue(assertInstanceOf(IkeAction.ChildRekeyFailed.class, refused.getFirst()).reason()
                .contains("NO_PROPOSAL_CHOSEN"));
        u.info().sequenceNumbersRunningOut(u.sa().child().inboundSpi(), 1_001_001);
        assertEquals(List.of(), u.info().tick(1_010_999, IkeAuthResponderTest.CLIENT_4500));
        IkeMessage again = ours(u, u.info().tick(1_011_000, IkeAuthResponderTest.CLIENT_4500).getFirst(),
                ExchangeType.CREATE_CHILD_SA, 1);
        assertTrue(again.findNotify(NotifyType.REKEY_SA).isPresent());
        // The retry offers the same inbound SPI: failed tries do not use up the host's SPIs.
        assertArrayEquals(req.first(SaPayload.class).orElseThrow().proposals().getFirst().spi(),
                again.first(SaPayload.class).orElseThrow().proposals().getFirst().spi());
    }

    @Test
    void invalidKePayloadAsksAgainWithTheClientsGroup() throws Exception {
        InformationalResponderTest.Up u = up(new ChildLifetime(LIFETIME));
        long due = u.info().nextTimer();
        u.info().tick(due, IkeAuthResponderTest.CLIENT_4500);
        // A client whose ESP proposals all carry PFS (esp_proposals = aes256gcm16-ecp256) wants group 19.
        List<IkeAction> a = answer(u, ExchangeType.CREATE_CHILD_SA, 0,
                List.of(NotifyPayload.of(NotifyType.INVALID_KE_PAYLOAD, new byte[] {0, 19})), due + 10);
        IkeMessage req = ours(u, a.getFirst(), ExchangeType.CREATE_CHILD_SA, 1);
        assertEquals(List.of(PayloadType.NOTIFY, PayloadType.SA, PayloadType.NONCE, PayloadType.KE, PayloadType.TSI,
                PayloadType.TSR), req.payloads().stream().map(Payload::type).toList());
        Proposal offer = req.first(SaPayload.class).orElseThrow().proposals().getFirst();
        assertEquals(List.of(Transform.of(TransformType.DH, 19)), offer.transformsOf(TransformType.DH));
        KePayload ke = req.first(KePayload.class).orElseThrow();
        assertEquals(19, ke.group());

        KeyExchange client = DhGroup.ECP_256.newKeyExchange(new SecureRandom());
        byte[] gir = client.sharedSecret(ke.keyData());
        byte[] nr = new byte[32];
        List<IkeAction> done = answer(u, ExchangeType.CREATE_CHILD_SA, 1,
                rekeyAnswer(req, nr, Optional.of(new KePayload(19, client.publicValue()))), due + 20);
        IkeAction.ChildRekeyed r = assertInstanceOf(IkeAction.ChildRekeyed.class, done.getFirst());
        ChildKeys exchange = KeyDerivation.childKeys(u.pair().init.suite().prf(), u.pair().init.keys().skD(),
                EncryptionAlgorithm.AES_GCM_16_256, Optional.empty(), Optional.of(gir),
                req.first(NoncePayload.class).orElseThrow().nonce(), nr);
        // Our outbound (ChildSa's "responder" half) is the exchange's initiator half: we started it.
        assertArrayEquals(exchange.encryptionInitiator(), r.replacement().keys().encryptionResponder());
        assertArrayEquals(exchange.encryptionResponder(), r.replacement().keys().encryptionInitiator());
    }

    @Test
    void withoutASuccessfulRekeyTheHardLifetimeEndsTheIkeSa() throws Exception {
        InformationalResponderTest.Up u = up(new ChildLifetime(LIFETIME));
        long t = u.info().nextTimer();
        int id = 0;
        while (true) {
            List<IkeAction> a = u.info().tick(t, IkeAuthResponderTest.CLIENT_4500);
            if (!a.isEmpty() && a.getLast() instanceof IkeAction.Deleted d) {
                assertEquals(LIFETIME.toMillis(), t, "at the hard limit, not before");
                assertTrue(d.reason().contains("hard lifetime"), d.reason());
                IkeMessage del = ours(u, a.getFirst(), ExchangeType.INFORMATIONAL, id);
                assertEquals(List.of(DeletePayload.ike()), del.payloads());
                return;
            }
            if (!a.isEmpty()) {
                ours(u, a.getFirst(), ExchangeType.CREATE_CHILD_SA, id);
                answer(u, ExchangeType.CREATE_CHILD_SA, id++, List.of(NotifyPayload.of(NotifyType.TEMPORARY_FAILURE)),
                        t);
            }
            assertTrue(t < LIFETIME.toMillis(), "no end at " + t);
            t = Math.min(u.info().nextTimer(), LIFETIME.toMillis());
        }
    }

    /** RFC 7296 §2.8.1 / §2.25: while our rekey is under way the client's own is refused with TEMPORARY_FAILURE. */
    @Test
    void theClientsRekeyCollidingWithOursGetsTemporaryFailure() throws Exception {
        InformationalResponderTest.Up u = up(new ChildLifetime(LIFETIME));
        long due = u.info().nextTimer();
        IkeMessage ourRequest = ours(u, u.info().tick(due, IkeAuthResponderTest.CLIENT_4500).getFirst(),
                ExchangeType.CREATE_CHILD_SA, 0);
        byte[] ni = new byte[32];
        List<IkeAction> a = u.send(u.request(ExchangeType.CREATE_CHILD_SA, 2, InformationalResponderTest.rekeyRequest(
                u, ni, List.of(InformationalResponderTest.espProposal(1, 0x0a0b0c0d, Optional.empty())),
                Optional.empty())));
        assertEquals(1, a.size());
        assertTrue(((NotifyPayload) u.open(a.getFirst(), 2).getFirst()).is(NotifyType.TEMPORARY_FAILURE));
        // An IKE SA rekey now would take the CHILD SAs away from under our exchange: refused the same way.
        Proposal p = io.p2sgw.ikev2.wire.StrongSwanMessages.aeadProposal(new int[] {31});
        KeyExchange client = DhGroup.CURVE25519.newKeyExchange(new SecureRandom());
        List<IkeAction> ike = u.send(u.request(ExchangeType.CREATE_CHILD_SA, 3, List.of(new SaPayload(List.of(
                new Proposal(p.number(), Proposal.PROTOCOL_IKE, new byte[8], p.transforms()))),
                new NoncePayload(ni), new KePayload(31, client.publicValue()))));
        assertTrue(((NotifyPayload) u.open(ike.getFirst(), 3).getFirst()).is(NotifyType.TEMPORARY_FAILURE));
        assertEquals(1, u.info().children().size());

        // Ours completes: exactly one new SA.
        List<IkeAction> done = answer(u, ExchangeType.CREATE_CHILD_SA, 0,
                rekeyAnswer(ourRequest, new byte[32], Optional.empty()), due + 10);
        assertInstanceOf(IkeAction.ChildRekeyed.class, done.getFirst());
        assertEquals(2, u.info().children().size());
    }

    @Test
    void anOldSaTheClientNeverDeletesGoesAtItsHardLifetime() throws Exception {
        InformationalResponderTest.Up u = up(new ChildLifetime(LIFETIME));
        ChildSa old = u.sa().child();
        // The client rekeys at 50 s but never deletes the old SA.
        List<IkeAction> a = u.info().receive(new InboundDatagram(u.request(ExchangeType.CREATE_CHILD_SA, 2,
                InformationalResponderTest.rekeyRequest(u, new byte[32],
                        List.of(InformationalResponderTest.espProposal(1, 0x0a0b0c0d, Optional.empty())),
                        Optional.empty())), IkeAuthResponderTest.CLIENT_4500, IkeAuthResponderTest.GATEWAY_4500),
                50_000);
        assertFalse(assertInstanceOf(IkeAction.ChildRekeyed.class, a.get(1)).byGateway());
        // No rekey of the replaced SA at its soft limit; its end at 100 s; the new one's rekey not before 130 s.
        assertEquals(LIFETIME.toMillis(), u.info().nextTimer());
        assertEquals(List.of(), u.info().tick(99_999, IkeAuthResponderTest.CLIENT_4500));
        IkeMessage del = ours(u, u.info().tick(100_000, IkeAuthResponderTest.CLIENT_4500).getFirst(),
                ExchangeType.INFORMATIONAL, 0);
        assertEquals(List.of(DeletePayload.esp(List.of(old.inboundSpi()))), del.payloads());
        List<IkeAction> gone = answer(u, ExchangeType.INFORMATIONAL, 0, List.of(), 100_010);
        assertEquals(old, assertInstanceOf(IkeAction.ChildDeleted.class, gone.getFirst()).child());
        long next = u.info().nextTimer();
        assertTrue(next >= 130_000 && next <= 140_000, "the replacement's rekey at " + next);
    }

    @Test
    void theLifetimesMoveWithTheChildSasToARekeyedIkeSa() throws Exception {
        InformationalResponderTest.Up u = up(new ChildLifetime(LIFETIME));
        long due = u.info().nextTimer();
        Proposal p = io.p2sgw.ikev2.wire.StrongSwanMessages.aeadProposal(new int[] {31});
        KeyExchange client = DhGroup.CURVE25519.newKeyExchange(new SecureRandom());
        List<IkeAction> a = u.send(u.request(ExchangeType.CREATE_CHILD_SA, 2, List.of(new SaPayload(List.of(
                new Proposal(p.number(), Proposal.PROTOCOL_IKE, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, p.transforms()))),
                new NoncePayload(new byte[32]), new KePayload(31, client.publicValue()))));
        IkeAction.IkeRekeyed r = assertInstanceOf(IkeAction.IkeRekeyed.class, a.get(1));
        InformationalResponder next = InformationalResponder.afterIkeRekey(r, IkePolicy.defaults(List.of(), false),
                ChildPolicy.defaults(List.of(), List.of()), u.pair().host, new SecureRandom());
        assertEquals(due, next.nextTimer());
        IkeAction.Send s = assertInstanceOf(IkeAction.Send.class,
                next.tick(due, IkeAuthResponderTest.CLIENT_4500).getFirst());
        IkeHeader h = IkeMessage.decode(s.message(), 0, s.message().length).header();
        assertEquals(r.replacement().init().responderSpi(), h.responderSpi(), "under the new IKE SA");
        assertEquals(ExchangeType.CREATE_CHILD_SA.code(), h.exchangeType());
        assertEquals(0, h.messageId());
    }
}
