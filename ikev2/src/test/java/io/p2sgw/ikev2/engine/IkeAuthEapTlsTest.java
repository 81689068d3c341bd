package io.p2sgw.ikev2.engine;

import static io.p2sgw.ikev2.engine.IkeAuthResponderTest.CLIENT_4500;
import static io.p2sgw.ikev2.engine.IkeAuthResponderTest.GATEWAY_4500;
import static io.p2sgw.ikev2.engine.IkeAuthResponderTest.VIP;
import static io.p2sgw.ikev2.engine.IkeAuthResponderTest.only;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.ikev2.crypto.AuthSignatures;
import io.p2sgw.ikev2.crypto.DhGroup;
import io.p2sgw.ikev2.crypto.PrfAlgorithm;
import io.p2sgw.ikev2.crypto.SkCipher;
import io.p2sgw.ikev2.wire.AuthPayload;
import io.p2sgw.ikev2.wire.CertPayload;
import io.p2sgw.ikev2.wire.CertRequestPayload;
import io.p2sgw.ikev2.wire.ConfigAttribute;
import io.p2sgw.ikev2.wire.ConfigPayload;
import io.p2sgw.ikev2.wire.EapPayload;
import io.p2sgw.ikev2.wire.EncryptedFragmentPayload;
import io.p2sgw.ikev2.wire.EncryptedPayload;
import io.p2sgw.ikev2.wire.ExchangeType;
import io.p2sgw.ikev2.wire.IdPayload;
import io.p2sgw.ikev2.wire.IkeHeader;
import io.p2sgw.ikev2.wire.IkeMessage;
import io.p2sgw.ikev2.wire.NotifyPayload;
import io.p2sgw.ikev2.wire.NotifyType;
import io.p2sgw.ikev2.wire.Payload;
import io.p2sgw.ikev2.wire.PayloadChain;
import io.p2sgw.ikev2.wire.PayloadType;
import io.p2sgw.ikev2.wire.Proposal;
import io.p2sgw.ikev2.wire.SaPayload;
import io.p2sgw.ikev2.wire.TrafficSelector;
import io.p2sgw.ikev2.wire.TrafficSelectorPayload;
import io.p2sgw.ikev2.wire.Transform;
import io.p2sgw.ikev2.wire.TransformType;
import io.p2sgw.testkit.pki.Issued;
import io.p2sgw.testkit.pki.Jsse;
import io.p2sgw.tls.ServerIdentity;
import io.p2sgw.tls.TlsServerContext;
import io.p2sgw.tls.eap.EapTlsPolicy;
import io.p2sgw.tls.eap.EapTlsServer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * EAP-TLS inside IKE_AUTH (RFC 7296 §2.16), Windows' path with certificate authentication, byte by byte: a client
 * built from the engine's wire classes sends IKE_AUTH without AUTH, runs EAP-TLS with {@link EapTlsTestPeer} (a JSSE
 * client that shares no code with the core's method), then signs with the MSK; the test checks our first AUTH with
 * the gateway's public key and our last one against the MSK it derived itself. Refusal inside EAP, a wrong MSK AUTH
 * and retransmissions at every step too.
 */
class IkeAuthEapTlsTest {
    static final byte[] KEY_PAD = "Key Pad for IKEv2".getBytes(StandardCharsets.US_ASCII);
    static TlsServerContext tls;
    final SecureRandom random = new SecureRandom();

    @BeforeAll
    static void pki() throws Exception {
        IkeAuthResponderTest.pki();
        tls = new TlsServerContext(new ServerIdentity(IkeAuthResponderTest.server.keys().getPrivate(),
                List.of(IkeAuthResponderTest.server.cert(), IkeAuthResponderTest.intermediate.cert())),
                () -> List.of(IkeAuthResponderTest.root.cert()), new SecureRandom());
    }

    /** The certificate path's test host (trusts the test root, one pool address) offering the core's EAP-TLS. */
    static final class EapHost implements IkeAuthHost {
        final IkeAuthResponderTest.Host policy = new IkeAuthResponderTest.Host();
        final List<X509Certificate> judged = new ArrayList<>();
        /** Certificates the policy refuses as revoked (their thumbprints would be in vpnClientRevokedCertificates). */
        final List<X509Certificate> revoked = new ArrayList<>();

        @Override
        public Verdict verifyClient(X509Certificate endEntity, List<X509Certificate> intermediates) {
            judged.add(endEntity);
            if (revoked.contains(endEntity)) {
                return new Verdict.Refused("REVOKED: " + endEntity.getSubjectX500Principal().getName());
            }
            return policy.verifyClient(endEntity, intermediates);
        }

        @Override
        public Optional<byte[]> leaseIpv4(String identity) {
            return policy.leaseIpv4(identity);
        }

        @Override
        public int newInboundSpi() {
            return policy.newInboundSpi();
        }

        @Override
        public Optional<EapTlsServer> newEapTlsServer(EapTlsPolicy p, int maxPacketLength) {
            // Both versions, as the server offers them: the client picks.
            return Optional.of(EapTlsServer.create(tls, TlsServerContext.PROTOCOLS, p, maxPacketLength));
        }
    }

    /** Client and responder after IKE_SA_INIT; the client's certificate is {@code as}. */
    final class Run {
        final EapHost host = new EapHost();
        final TestInitiator c;
        final TestInitiator.Established init;
        final HalfOpenIkeSa sa;
        final IkeAuthResponder responder;
        final SkCipher clientCipher;
        final EapTlsTestPeer peer;
        final IdPayload idi;
        int messageId = 1;
        /** Our last request, for retransmission tests, and what the responder did with it. */
        byte[] lastRequest;
        List<IkeAction> lastActions = List.of();

        Run(TestPki.Issued as) throws Exception {
            this(as, "TLSv1.2");
        }

        Run(TestPki.Issued as, String tlsProtocol) throws Exception {
            IkeSaInitResponder r = new IkeSaInitResponder(IkePolicy.defaults(
                    List.of(IkeAuthResponderTest.spkiHash(IkeAuthResponderTest.root.cert())), false), random);
            c = new TestInitiator(random, IkeSaInitResponderTest.CLIENT, IkeAuthResponderTest.GATEWAY_500,
                    DhGroup.CURVE25519);
            List<IkeAction> a = r.receive(c.datagram(c.request(Optional.empty())), 0);
            init = c.accept(IkeSaInitResponderTest.sent(a));
            sa = IkeSaInitResponderTest.created(a);
            responder = new IkeAuthResponder(sa, IkePolicy.defaults(List.of(), false),
                    ChildPolicy.defaults(List.of(TrafficSelectors.ipv4(new byte[] {10, 1, 0, 0}, 16)),
                            List.of(new byte[] {10, 1, 0, 53})),
                    new ServerCredentials(IkeAuthResponderTest.server.keys().getPrivate(),
                            List.of(IkeAuthResponderTest.server.cert(), IkeAuthResponderTest.intermediate.cert()),
                            List.of("vpn.example.test")),
                    host, random);
            clientCipher = SkCipher.initiator(init.suite(), init.keys(), random);
            peer = new EapTlsTestPeer(Jsse.context(Jsse.keyManagers(new Issued(as.keys(), List.of(as.cert()))),
                    IkeAuthResponderTest.root.cert()), tlsProtocol);
            // Windows names itself by its address (ID_IPV4_ADDR) when it uses EAP.
            idi = IdPayload.of(false, IdPayload.ID_IPV4_ADDR, new byte[] {(byte) 203, 0, 113, 7});
        }

        /** Windows' first IKE_AUTH for EAP: IDi CERTREQ IDr CP SA TSi TSr, and no AUTH. */
        List<Payload> firstRequest() throws Exception {
            byte[] spi = {(byte) 0xc1, (byte) 0xa2, (byte) 0xb3, (byte) 0xd4};
            Proposal cbc = new Proposal(1, Proposal.PROTOCOL_ESP, spi, List.of(
                    Transform.of(TransformType.ENCR, 12, 256), Transform.of(TransformType.INTEG, 2),
                    Transform.of(TransformType.ESN, 0)));
            return List.of(idi,
                    new CertRequestPayload(4, IkeAuthResponderTest.spkiHash(IkeAuthResponderTest.root.cert())),
                    IdPayload.of(true, IdPayload.ID_FQDN, "vpn.example.test".getBytes(StandardCharsets.US_ASCII)),
                    new ConfigPayload(ConfigPayload.CFG_REQUEST, List.of(
                            new ConfigAttribute(ConfigAttribute.INTERNAL_IP4_ADDRESS, new byte[0]),
                            new ConfigAttribute(ConfigAttribute.INTERNAL_IP4_DNS, new byte[0]))),
                    new SaPayload(List.of(cbc)),
                    new TrafficSelectorPayload(false, List.of(TrafficSelector.anyIpv4())),
                    new TrafficSelectorPayload(true, List.of(TrafficSelector.anyIpv4())));
        }

        /** Seals {@code payloads} as our next IKE_AUTH request and hands it to the responder. */
        List<IkeAction> send(List<Payload> payloads) {
            lastRequest = clientCipher.seal(new IkeHeader(c.spi, sa.responderSpi(), 0, IkeHeader.VERSION_2_0,
                    ExchangeType.IKE_AUTH.code(), IkeHeader.FLAG_INITIATOR, messageId++, 0), payloads);
            return deliver(lastRequest);
        }

        List<IkeAction> deliver(byte[] m) {
            return responder.receive(new InboundDatagram(m, CLIENT_4500, GATEWAY_4500), 1_000);
        }

        /** The inner payloads of the response to request {@code id} (one SK, or SKF fragments). */
        List<Payload> open(List<IkeAction> actions, int id) throws Exception {
            ByteArrayOutputStream inner = new ByteArrayOutputStream();
            int first = -1;
            for (IkeAction a : actions) {
                if (!(a instanceof IkeAction.Send s)) {
                    continue;
                }
                byte[] m = s.message();
                IkeMessage msg = IkeMessage.decode(m, 0, m.length);
                assertEquals(IkeHeader.FLAG_RESPONSE, msg.header().flags());
                assertEquals(id, msg.header().messageId(), "the response carries the request's Message ID");
                assertEquals(ExchangeType.IKE_AUTH.code(), msg.header().exchangeType());
                if (msg.payloads().getLast() instanceof EncryptedPayload sk) {
                    first = sk.firstInnerType();
                    inner.write(clientCipher.open(m, 0, m.length, sk));
                } else {
                    EncryptedFragmentPayload skf = (EncryptedFragmentPayload) msg.payloads().getLast();
                    if (skf.fragmentNumber() == 1) {
                        first = skf.firstInnerType();
                    }
                    inner.write(clientCipher.openFragment(m, 0, m.length, skf));
                }
            }
            byte[] b = inner.toByteArray();
            return PayloadChain.decode(b, 0, b.length, first, 0, true);
        }

        /**
         * IKE_AUTH 1 and EAP until the server's Success or Failure; returns that last response's payloads. Every
         * EAP exchange is also retransmitted once and must be answered with the same bytes.
         */
        List<Payload> eap() throws Exception {
            List<Payload> reply = open(send(firstRequest()), 1);
            assertEquals(List.of(PayloadType.IDR, PayloadType.CERT, PayloadType.CERT, PayloadType.AUTH,
                    PayloadType.EAP), reply.stream().map(Payload::type).toList());
            // Our signature AUTH, as for certificate authentication: RealMessage2 | Ni | prf(SK_pr, IDr').
            IdPayload idr = only(reply, IdPayload.class);
            byte[] ourOctets = AuthSignatures.octets(sa.responseMessage(), c.nonce, init.suite().prf(),
                    init.keys().skPr(), idr.body());
            assertEquals(Optional.of("SHA256withRSA"), AuthSignatures.verify(
                    IkeAuthResponderTest.server.cert().getPublicKey(), only(reply, AuthPayload.class), ourOctets));
            assertArrayEquals(IkeAuthResponderTest.server.cert().getEncoded(), only(reply, CertPayload.class).data());
            // EAP-Request/TLS Start: Code 1, Length 6, Type 13, Flags S (RFC 5216 §3.1).
            byte[] start = only(reply, EapPayload.class).message();
            assertEquals("010000060d20", java.util.HexFormat.of().formatHex(start));
            byte[] request = start;
            while (true) {
                byte[] response = peer.respond(request);
                int id = messageId;
                List<IkeAction> actions = send(List.of(new EapPayload(response)));
                lastActions = actions;
                // A retransmission of the same request gets the same bytes and changes nothing.
                assertSameSends(actions, deliver(lastRequest));
                reply = open(actions, id);
                EapPayload eap = only(reply, EapPayload.class);
                if (eap.code() != EapPayload.CODE_REQUEST) {
                    return reply;
                }
                request = eap.message();
            }
        }

        /** The client's AUTH after EAP-Success (RFC 7296 §2.15-2.16), computed here from the MSK we derived. */
        AuthPayload mskAuth(byte[] msk) {
            PrfAlgorithm prf = init.suite().prf();
            byte[] octets = AuthSignatures.octets(c.lastRequest, init.responderNonce(), prf, init.keys().skPi(),
                    idi.body());
            return new AuthPayload(AuthPayload.SHARED_KEY_MIC, prf.prf(prf.prf(msk, KEY_PAD), octets));
        }
    }

    static void assertSameSends(List<IkeAction> first, List<IkeAction> again) {
        List<byte[]> a = first.stream().filter(IkeAction.Send.class::isInstance)
                .map(x -> ((IkeAction.Send) x).message()).toList();
        List<byte[]> b = again.stream().filter(IkeAction.Send.class::isInstance)
                .map(x -> ((IkeAction.Send) x).message()).toList();
        assertFalse(a.isEmpty());
        assertEquals(a.size(), b.size(), "the same datagrams again, and nothing else");
        assertEquals(a.size(), again.size(), "no second Established or AuthFailed");
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i), b.get(i));
        }
    }

    @Test
    void eapTlsThenTheMskAuthEstablishesTheSa() throws Exception {
        Run r = new Run(IkeAuthResponderTest.client);
        List<Payload> success = r.eap();
        assertEquals(List.of(PayloadType.EAP), success.stream().map(Payload::type).toList());
        assertEquals(EapPayload.CODE_SUCCESS, only(success, EapPayload.class).code());
        assertTrue(r.peer.handshakeDone());
        assertTrue(r.peer.serverFragments > 0, "our server flight was cut into EAP-TLS fragments");
        // The one certificate policy judged the certificate presented inside TLS, once.
        assertEquals(List.of(IkeAuthResponderTest.client.cert()), r.host.judged);

        byte[] msk = r.peer.msk();
        int lastId = r.messageId;
        List<IkeAction> actions = r.send(List.of(r.mskAuth(msk)));
        List<Payload> reply = r.open(actions, lastId);
        assertEquals(List.of(PayloadType.AUTH, PayloadType.CP, PayloadType.SA, PayloadType.TSI, PayloadType.TSR),
                reply.stream().map(Payload::type).toList());
        // Our AUTH: prf(prf(MSK, "Key Pad for IKEv2"), RealMessage2 | Ni | prf(SK_pr, IDr')), IDr' from exchange 1.
        PrfAlgorithm prf = r.init.suite().prf();
        IdPayload idr = IdPayload.of(true, IdPayload.ID_FQDN, "vpn.example.test".getBytes(StandardCharsets.US_ASCII));
        byte[] ourOctets = AuthSignatures.octets(r.sa.responseMessage(), r.c.nonce, prf, r.init.keys().skPr(),
                idr.body());
        AuthPayload ours = only(reply, AuthPayload.class);
        assertEquals(AuthPayload.SHARED_KEY_MIC, ours.method());
        assertArrayEquals(prf.prf(prf.prf(msk, KEY_PAD), ourOctets), ours.data());
        assertArrayEquals(VIP, only(reply, ConfigPayload.class).attributesOf(ConfigAttribute.INTERNAL_IP4_ADDRESS)
                .getFirst().value());
        Proposal esp = only(reply, SaPayload.class).proposals().getFirst();
        assertEquals(List.of(Transform.of(TransformType.ENCR, 12, 256), Transform.of(TransformType.INTEG, 2),
                Transform.of(TransformType.ESN, 0)), esp.transforms());

        IkeAction.Established est = assertInstanceOf(IkeAction.Established.class, actions.getLast());
        assertEquals(IkeAuthResponderTest.client.cert(), est.sa().clientCertificate());
        assertArrayEquals(VIP, est.sa().virtualAddress());
        assertEquals(lastId + 1, est.sa().nextMessageId(), "INFORMATIONAL continues after the last IKE_AUTH");
        // The last IKE_AUTH retransmitted: the same answer, from here and from the established SA's responder.
        assertSameSends(actions, r.deliver(r.lastRequest));
        InformationalResponder informational = new InformationalResponder(est.sa(), r.responder.cipher(),
                IkePolicy.defaults(List.of(), false), ChildPolicy.defaults(List.of(), List.of()), r.host, random);
        List<IkeAction> resent = informational.receive(new InboundDatagram(r.lastRequest, CLIENT_4500, GATEWAY_4500),
                2_000);
        assertSameSends(actions.subList(0, actions.size() - 1), resent);
        // An older request is dropped.
        assertInstanceOf(IkeAction.Dropped.class, informational.receive(new InboundDatagram(
                r.clientCipher.seal(new IkeHeader(r.c.spi, r.sa.responderSpi(), 0, IkeHeader.VERSION_2_0,
                        ExchangeType.IKE_AUTH.code(), IkeHeader.FLAG_INITIATOR, 1, 0), List.of()),
                CLIENT_4500, GATEWAY_4500), 2_000).getFirst());
    }

    @Test
    void eapTls13ThenTheMskAuthEstablishesTheSa() throws Exception {
        // RFC 9190: the MSK from the TLS 1.3 exporter; the server's one-byte success indication before EAP-Success.
        Run r = new Run(IkeAuthResponderTest.client, "TLSv1.3");
        assertEquals(EapPayload.CODE_SUCCESS, only(r.eap(), EapPayload.class).code());
        assertEquals("TLSv1.3", r.peer.protocol());
        byte[] msk = r.peer.msk();
        int lastId = r.messageId;
        List<IkeAction> actions = r.send(List.of(r.mskAuth(msk)));
        PrfAlgorithm prf = r.init.suite().prf();
        IdPayload idr = IdPayload.of(true, IdPayload.ID_FQDN, "vpn.example.test".getBytes(StandardCharsets.US_ASCII));
        byte[] ourOctets = AuthSignatures.octets(r.sa.responseMessage(), r.c.nonce, prf, r.init.keys().skPr(),
                idr.body());
        assertArrayEquals(prf.prf(prf.prf(msk, KEY_PAD), ourOctets),
                only(r.open(actions, lastId), AuthPayload.class).data());
        assertInstanceOf(IkeAction.Established.class, actions.getLast());
    }

    @Test
    void aWrongMskAuthIsRefused() throws Exception {
        Run r = new Run(IkeAuthResponderTest.client);
        assertEquals(EapPayload.CODE_SUCCESS, only(r.eap(), EapPayload.class).code());
        byte[] wrongMsk = r.peer.msk();
        wrongMsk[0] ^= 1;
        int lastId = r.messageId;
        List<IkeAction> actions = r.send(List.of(r.mskAuth(wrongMsk)));
        List<Payload> reply = r.open(actions, lastId);
        assertEquals(NotifyType.AUTHENTICATION_FAILED.code(), only(reply, NotifyPayload.class).notifyType());
        assertEquals(1, reply.size(), "AUTHENTICATION_FAILED alone (RFC 7296 §2.21.2)");
        IkeAction.AuthFailed f = assertInstanceOf(IkeAction.AuthFailed.class, actions.getLast());
        assertTrue(f.reason().contains("MSK-based AUTH"), f.reason());
        // A signature AUTH instead of the MSK one is refused the same way.
        Run s = new Run(IkeAuthResponderTest.client);
        s.eap();
        List<Payload> signed = s.open(s.send(List.of(new AuthPayload(AuthPayload.RSA_SIGNATURE, new byte[256]))),
                s.messageId - 1);
        assertEquals(NotifyType.AUTHENTICATION_FAILED.code(), only(signed, NotifyPayload.class).notifyType());
    }

    @Test
    void aClientThePolicyRefusesGetsEapFailureThenAuthenticationFailed() throws Exception {
        TestPki.Issued revoked = TestPki.leaf("revoked", "revoked.example.test", KeyPurposeId.id_kp_clientAuth,
                IkeAuthResponderTest.root, TestPki.rsa(2048));
        Run r = new Run(revoked);
        r.host.revoked.add(revoked.cert());
        List<Payload> reply = r.eap();
        assertEquals(List.of(PayloadType.EAP, PayloadType.NOTIFY), reply.stream().map(Payload::type).toList());
        EapPayload failure = only(reply, EapPayload.class);
        assertEquals(EapPayload.CODE_FAILURE, failure.code());
        assertEquals(4, failure.message().length, "EAP-Failure is the bare header (RFC 3748 §4.2)");
        assertEquals(NotifyType.AUTHENTICATION_FAILED.code(), only(reply, NotifyPayload.class).notifyType());
        // The policy judged the certificate presented inside TLS; no address was leased.
        assertEquals(List.of(revoked.cert()), r.host.judged);
        assertEquals(1, r.host.policy.pool.size(), "no address leased");
        // The host learns why, for its log: the policy's reason and the certificate.
        IkeAction.AuthFailed f = assertInstanceOf(IkeAction.AuthFailed.class, r.lastActions.getLast());
        assertEquals(NotifyType.AUTHENTICATION_FAILED, f.notifyType());
        assertTrue(f.reason().contains("CN=revoked") && f.reason().contains("REVOKED"), f.reason());
        // Nothing more is carried out: a further request is dropped.
        assertInstanceOf(IkeAction.Dropped.class, r.send(List.of(r.mskAuth(new byte[64]))).getFirst());
    }

    @Test
    void aClientWithoutACertificateOfOurRootsFailsInsideTls() throws Exception {
        // Its certificate is from a root the CertificateRequest does not name: JSSE sends none, and TLS fails.
        TestPki.Issued otherRoot = TestPki.root("Not Uploaded");
        TestPki.Issued stranger = TestPki.leaf("stranger", "stranger.example.test", KeyPurposeId.id_kp_clientAuth,
                otherRoot, TestPki.rsa(2048));
        Run r = new Run(stranger);
        List<Payload> reply = r.eap();
        assertEquals(EapPayload.CODE_FAILURE, only(reply, EapPayload.class).code());
        assertEquals(NotifyType.AUTHENTICATION_FAILED.code(), only(reply, NotifyPayload.class).notifyType());
        assertTrue(r.peer.tlsFailure != null, "our alert reached the client inside EAP-TLS");
        assertEquals(List.of(), r.host.judged);
        IkeAction.AuthFailed f = assertInstanceOf(IkeAction.AuthFailed.class, r.lastActions.getLast());
        assertTrue(f.reason().contains("TLS"), f.reason());
    }

    @Test
    void withoutEapOfferedAnAuthlessIkeAuthIsRefused() throws Exception {
        Run r = new Run(IkeAuthResponderTest.client);
        IkeAuthResponder plain = new IkeAuthResponder(r.sa, IkePolicy.defaults(List.of(), false),
                ChildPolicy.defaults(List.of(), List.of()), new ServerCredentials(
                        IkeAuthResponderTest.server.keys().getPrivate(), List.of(IkeAuthResponderTest.server.cert()),
                        List.of("vpn.example.test")), new IkeAuthResponderTest.Host(), random);
        byte[] m = r.clientCipher.seal(new IkeHeader(r.c.spi, r.sa.responderSpi(), 0, IkeHeader.VERSION_2_0,
                ExchangeType.IKE_AUTH.code(), IkeHeader.FLAG_INITIATOR, 1, 0), r.firstRequest());
        List<IkeAction> actions = plain.receive(new InboundDatagram(m, CLIENT_4500, GATEWAY_4500), 0);
        assertEquals(NotifyType.AUTHENTICATION_FAILED,
                assertInstanceOf(IkeAction.AuthFailed.class, actions.getLast()).notifyType());
    }
}
