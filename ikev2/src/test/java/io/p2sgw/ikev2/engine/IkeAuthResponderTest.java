package io.p2sgw.ikev2.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.ikev2.crypto.AuthSignatures;
import io.p2sgw.ikev2.crypto.ChildKeys;
import io.p2sgw.ikev2.crypto.DhGroup;
import io.p2sgw.ikev2.crypto.EncryptionAlgorithm;
import io.p2sgw.ikev2.crypto.IntegrityAlgorithm;
import io.p2sgw.ikev2.crypto.KeyDerivation;
import io.p2sgw.ikev2.crypto.SkCipher;
import io.p2sgw.ikev2.wire.AuthPayload;
import io.p2sgw.ikev2.wire.CertPayload;
import io.p2sgw.ikev2.wire.CertRequestPayload;
import io.p2sgw.ikev2.wire.ConfigAttribute;
import io.p2sgw.ikev2.wire.ConfigPayload;
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
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * IKE_AUTH with certificates, end to end against a test client that signs its AUTH, verifies ours and derives the
 * CHILD keys itself: strongSwan's request shape (ikev2.md §2.1), fragments both ways, retransmission, refusals.
 */
class IkeAuthResponderTest {
    static final InetSocketAddress GATEWAY_500 = IkeSaInitResponderTest.GATEWAY;
    static final InetSocketAddress GATEWAY_4500 = IkeSaInitResponderTest.address("198.51.100.1", 4500);
    static final InetSocketAddress CLIENT_4500 = IkeSaInitResponderTest.address("203.0.113.7", 4500);
    static final byte[] VIP = {(byte) 172, 16, (byte) 201, 10};
    static TestPki.Issued root;
    static TestPki.Issued intermediate;
    static TestPki.Issued server;
    static TestPki.Issued client;
    static TestPki.Issued ecClient;
    final SecureRandom random = new SecureRandom();

    @BeforeAll
    static void pki() throws Exception {
        root = TestPki.root("Test P2S Root CA");
        intermediate = TestPki.intermediate("Test Server Intermediate", root);
        server = TestPki.leaf("vpn.example.test", "vpn.example.test", KeyPurposeId.id_kp_serverAuth, intermediate,
                TestPki.rsa(2048));
        client = TestPki.leaf("client1", "client1.example.test", KeyPurposeId.id_kp_clientAuth, root,
                TestPki.rsa(2048));
        ecClient = TestPki.leaf("client2", "client2.example.test", KeyPurposeId.id_kp_clientAuth, root,
                TestPki.ec("secp256r1"));
    }

    /** A host that trusts certificates issued by {@link #root}, as the core's certificate policy would. */
    static final class Host implements IkeAuthHost {
        List<byte[]> pool = new ArrayList<>(List.of(VIP));
        int spis = 0x1000;
        /** How often the certificate policy was asked (it admits the client into the core in the product). */
        int asked;

        @Override
        public Verdict verifyClient(X509Certificate endEntity, List<X509Certificate> intermediates) {
            asked++;
            try {
                endEntity.verify(root.cert().getPublicKey());
                return new Verdict.Accepted(endEntity.getSubjectX500Principal().getName());
            } catch (Exception e) {
                return new Verdict.Refused("untrusted: " + e.getMessage());
            }
        }

        @Override
        public Optional<byte[]> leaseIpv4(String identity) {
            return pool.isEmpty() ? Optional.empty() : Optional.of(pool.removeFirst());
        }

        @Override
        public int newInboundSpi() {
            return spis++;
        }
    }

    /** Both sides after IKE_SA_INIT, and the IKE_AUTH responder under test. */
    final class Pair {
        final Host host = new Host();
        final TestInitiator c;
        final TestInitiator.Established init;
        final HalfOpenIkeSa sa;
        final IkeAuthResponder responder;
        final SkCipher clientCipher;
        TestPki.Issued as = client;
        IdPayload idi;

        Pair(boolean fragmentation, List<X509Certificate> serverChain) throws Exception {
            this(fragmentation, serverChain, List.of("vpn.example.test"));
        }

        Pair(boolean fragmentation, List<X509Certificate> serverChain, List<String> names) throws Exception {
            IkeSaInitResponder r = new IkeSaInitResponder(IkePolicy.defaults(List.of(spkiHash(root.cert())), false),
                    random);
            c = new TestInitiator(random, IkeSaInitResponderTest.CLIENT, GATEWAY_500, DhGroup.CURVE25519);
            c.fragmentation = fragmentation;
            List<IkeAction> a = r.receive(c.datagram(c.request(Optional.empty())), 0);
            init = c.accept(IkeSaInitResponderTest.sent(a));
            sa = IkeSaInitResponderTest.created(a);
            responder = new IkeAuthResponder(sa, IkePolicy.defaults(List.of(), false),
                    ChildPolicy.defaults(List.of(TrafficSelectors.ipv4(new byte[] {10, 1, 0, 0}, 16)),
                            List.of(new byte[] {10, 1, 0, 53})),
                    new ServerCredentials(server.keys().getPrivate(), serverChain, names),
                    host, random);
            clientCipher = SkCipher.initiator(init.suite(), init.keys(), random);
        }

        Pair() throws Exception {
            this(true, List.of(server.cert()));
        }

        /** strongSwan's IKE_AUTH (ikev2.md §2.1): IDi CERT N(INITIAL_CONTACT) CERTREQ IDr AUTH CP SA TSi TSr N... */
        List<Payload> request(Optional<AuthPayload> forcedAuth) throws Exception {
            idi = IdPayload.of(false, IdPayload.ID_DER_ASN1_DN, as.cert().getSubjectX500Principal().getEncoded());
            byte[] octets = AuthSignatures.octets(c.lastRequest, init.responderNonce(), init.suite().prf(),
                    init.keys().skPi(), idi.body());
            AuthPayload auth = forcedAuth.orElseGet(() -> AuthSignatures.sign(as.keys().getPrivate(),
                    new int[] {2, 3, 4}, octets));
            byte[] spi = {(byte) 0xc1, (byte) 0xa2, (byte) 0xb3, (byte) 0xd4};
            Proposal gcm = new Proposal(1, Proposal.PROTOCOL_ESP, spi, List.of(
                    Transform.of(TransformType.ENCR, 20, 128), Transform.of(TransformType.ENCR, 20, 192),
                    Transform.of(TransformType.ENCR, 20, 256), Transform.of(TransformType.ESN, 0)));
            Proposal cbc = new Proposal(2, Proposal.PROTOCOL_ESP, spi, List.of(
                    Transform.of(TransformType.ENCR, 12, 128), Transform.of(TransformType.ENCR, 12, 256),
                    Transform.of(TransformType.INTEG, 12), Transform.of(TransformType.INTEG, 2),
                    Transform.of(TransformType.ESN, 0)));
            return new ArrayList<>(List.of(idi, new CertPayload(4, as.cert().getEncoded()),
                    NotifyPayload.of(NotifyType.INITIAL_CONTACT), new CertRequestPayload(4, spkiHash(root.cert())),
                    IdPayload.of(true, IdPayload.ID_FQDN, "vpn.example.test".getBytes(StandardCharsets.US_ASCII)),
                    auth,
                    new ConfigPayload(ConfigPayload.CFG_REQUEST, List.of(
                            new ConfigAttribute(ConfigAttribute.INTERNAL_IP4_ADDRESS, new byte[0]),
                            new ConfigAttribute(ConfigAttribute.INTERNAL_IP4_DNS, new byte[0]))),
                    new SaPayload(List.of(gcm, cbc)),
                    new TrafficSelectorPayload(false, List.of(TrafficSelector.anyIpv4())),
                    new TrafficSelectorPayload(true, List.of(TrafficSelector.anyIpv4())),
                    NotifyPayload.of(NotifyType.MOBIKE_SUPPORTED),
                    NotifyPayload.of(NotifyType.NO_ADDITIONAL_ADDRESSES)));
        }

        IkeHeader header() {
            return new IkeHeader(c.spi, sa.responderSpi(), 0, IkeHeader.VERSION_2_0, ExchangeType.IKE_AUTH.code(),
                    IkeHeader.FLAG_INITIATOR, 1, 0);
        }

        List<IkeAction> send(byte[] message) {
            return responder.receive(new InboundDatagram(message, CLIENT_4500, GATEWAY_4500), 1_000);
        }

        /** Opens the response datagrams (one SK or several SKF) into the inner payloads. */
        List<Payload> open(List<IkeAction> actions) throws Exception {
            Inner in = openRaw(actions);
            return PayloadChain.decode(in.chain(), 0, in.chain().length, in.firstType(), 0, true);
        }

        /** Opens the response datagrams into the inner payload chain's bytes, as they were sealed. */
        Inner openRaw(List<IkeAction> actions) throws Exception {
            ByteArrayOutputStream inner = new ByteArrayOutputStream();
            int first = -1;
            for (IkeAction a : actions) {
                if (!(a instanceof IkeAction.Send s)) {
                    continue;
                }
                assertEquals(CLIENT_4500, s.to());
                assertEquals(GATEWAY_4500, s.from());
                byte[] m = s.message();
                IkeMessage msg = IkeMessage.decode(m, 0, m.length);
                assertEquals(IkeHeader.FLAG_RESPONSE, msg.header().flags());
                assertEquals(1, msg.header().messageId());
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
            return new Inner(first, inner.toByteArray());
        }
    }

    /** The decrypted inner payloads of a response: the first payload's type and the chain's bytes. */
    record Inner(int firstType, byte[] chain) {}

    static byte[] spkiHash(X509Certificate cert) throws Exception {
        return MessageDigest.getInstance("SHA-1").digest(cert.getPublicKey().getEncoded());
    }

    static <T extends Payload> T only(List<Payload> ps, Class<T> kind) {
        return ps.stream().filter(kind::isInstance).map(kind::cast).findFirst().orElseThrow();
    }

    @Test
    void strongSwanShapedCertificateAuthentication() throws Exception {
        Pair p = new Pair();
        List<IkeAction> actions = p.send(p.clientCipher.seal(p.header(), p.request(Optional.empty())));
        List<Payload> reply = p.open(actions);
        // The order that worked with strongSwan (ikev2.md §2.3 step 10).
        assertEquals(List.of(PayloadType.IDR, PayloadType.CERT, PayloadType.AUTH, PayloadType.CP, PayloadType.SA,
                PayloadType.TSI, PayloadType.TSR), reply.stream().map(Payload::type).toList());
        // IDr echoed byte for byte; our certificate sent; our AUTH verifies over RealMessage2 | Ni | prf(SK_pr, IDr').
        IdPayload idr = only(reply, IdPayload.class);
        assertEquals("vpn.example.test", new String(idr.data(), StandardCharsets.US_ASCII));
        assertArrayEquals(server.cert().getEncoded(), only(reply, CertPayload.class).data());
        byte[] ourOctets = AuthSignatures.octets(p.sa.responseMessage(), p.c.nonce, p.init.suite().prf(), p.init.keys().skPr(), idr.body());
        AuthPayload auth = only(reply, AuthPayload.class);
        assertEquals(AuthPayload.DIGITAL_SIGNATURE, auth.method());
        assertEquals(Optional.of("SHA256withRSA"), AuthSignatures.verify(server.cert().getPublicKey(), auth, ourOctets));
        // CP: the leased address and the DNS server (ikev2.md §1.14).
        ConfigPayload cp = only(reply, ConfigPayload.class);
        assertEquals(ConfigPayload.CFG_REPLY, cp.cfgType());
        assertArrayEquals(VIP, cp.attributesOf(ConfigAttribute.INTERNAL_IP4_ADDRESS).getFirst().value());
        assertArrayEquals(new byte[] {10, 1, 0, 53}, cp.attributesOf(ConfigAttribute.INTERNAL_IP4_DNS).getFirst()
                .value());
        // ESP: proposal #1 (GCM), AES-256, ESN none, our SPI; TSi = VIP/32, TSr = 10.1.0.0/16.
        Proposal esp = only(reply, SaPayload.class).proposals().getFirst();
        assertEquals(1, esp.number());
        assertEquals(List.of(Transform.of(TransformType.ENCR, 20, 256), Transform.of(TransformType.ESN, 0)),
                esp.transforms());
        assertArrayEquals(new byte[] {0, 0, 0x10, 0}, esp.spi());
        List<TrafficSelectorPayload> ts = reply.stream().filter(TrafficSelectorPayload.class::isInstance)
                .map(TrafficSelectorPayload.class::cast).toList();
        assertEquals("ac10c90a ac10c90a", hexRange(ts.get(0).selectors().getFirst()));
        assertEquals("0a010000 0a01ffff", hexRange(ts.get(1).selectors().getFirst()));

        IkeAction.Established est = assertInstanceOf(IkeAction.Established.class, actions.getLast());
        assertEquals(CLIENT_4500, est.sa().peer());
        assertTrue(est.sa().initialContact());
        assertArrayEquals(VIP, est.sa().virtualAddress());
        ChildSa child = est.sa().child();
        assertEquals(0xc1a2b3d4, child.outboundSpi());
        assertEquals(0x1000, child.inboundSpi());
        assertEquals(EncryptionAlgorithm.AES_GCM_16_256, child.encryption());
        // The client derives the same CHILD keys (RFC 7296 §2.17).
        ChildKeys mine = KeyDerivation.childKeys(p.init.suite().prf(), p.init.keys().skD(),
                EncryptionAlgorithm.AES_GCM_16_256, Optional.empty(), Optional.empty(), p.c.nonce,
                p.init.responderNonce());
        assertArrayEquals(mine.encryptionInitiator(), child.keys().encryptionInitiator());
        assertArrayEquals(mine.encryptionResponder(), child.keys().encryptionResponder());
        assertEquals(36, child.keys().encryptionInitiator().length);
    }

    @Test
    void aGatewayNamedByItsAddressAnswersWithAnIpv4Idr() throws Exception {
        // The default p2sgw server name is its public address; strongSwan's profile then has `id = 198.51.100.4`,
        // sends IDr as ID_IPV4_ADDR and insists on the same type back (a FQDN "198.51.100.4" fails its check).
        byte[] gw = {(byte) 198, 51, 100, 4};
        Pair p = new Pair(true, List.of(server.cert()), List.of("198.51.100.4"));
        List<Payload> req = p.request(Optional.empty());
        req.set(4, IdPayload.of(true, IdPayload.ID_IPV4_ADDR, gw));
        IdPayload idr = only(p.open(p.send(p.clientCipher.seal(p.header(), req))), IdPayload.class);
        assertEquals(IdPayload.ID_IPV4_ADDR, idr.idType());
        assertArrayEquals(gw, idr.data());
        // No IDr asked: the address name still goes out as ID_IPV4_ADDR.
        Pair q = new Pair(true, List.of(server.cert()), List.of("198.51.100.4"));
        List<Payload> req2 = q.request(Optional.empty());
        req2.remove(4);
        IdPayload idr2 = only(q.open(q.send(q.clientCipher.seal(q.header(), req2))), IdPayload.class);
        assertEquals(IdPayload.ID_IPV4_ADDR, idr2.idType());
        assertEquals(Optional.empty(), IkeAuthResponder.ipv4Literal("vpn.example.test"));
        assertEquals(Optional.empty(), IkeAuthResponder.ipv4Literal("1.2.3.256"));
    }

    static String hexRange(TrafficSelector s) {
        return HexFormat.of().formatHex(s.startAddress()) + " " + HexFormat.of().formatHex(s.endAddress());
    }

    @Test
    void retransmittedRequestGetsTheSameBytesAndNoSecondSa() throws Exception {
        Pair p = new Pair();
        byte[] request = p.clientCipher.seal(p.header(), p.request(Optional.empty()));
        List<IkeAction> first = p.send(request);
        List<IkeAction> again = p.send(request);
        List<IkeAction.Send> sent = first.stream().filter(IkeAction.Send.class::isInstance)
                .map(IkeAction.Send.class::cast).toList();
        assertEquals(sent.size(), again.size(), "every fragment again, and no second Established");
        for (int i = 0; i < sent.size(); i++) {
            assertArrayEquals(sent.get(i).message(), ((IkeAction.Send) again.get(i)).message());
        }
        // A forged copy (one bit flipped) is dropped, not answered, and said to have failed its integrity check.
        byte[] forged = request.clone();
        forged[forged.length - 1] ^= 1;
        assertTrue(assertInstanceOf(IkeAction.Dropped.class, p.send(forged).getFirst()).integrityFailed());
    }

    @Test
    void fragmentsBothWays() throws Exception {
        // A server chain of two RSA-2048 certificates makes the response larger than 1248 bytes.
        Pair p = new Pair(true, List.of(server.cert(), intermediate.cert()));
        List<byte[]> frags = p.clientCipher.sealFragments(p.header(), p.request(Optional.empty()), 600);
        assertTrue(frags.size() >= 3, frags.size() + " request fragments");
        long received = IkeFragmentCounters.fragmentsReceived();
        long reassembled = IkeFragmentCounters.messagesReassembled();
        long sentFragments = IkeFragmentCounters.fragmentsSent();
        long fragmented = IkeFragmentCounters.messagesFragmented();
        List<IkeAction> actions = List.of();
        // Out of order, with a duplicate: only the last missing fragment completes the message.
        for (int i : new int[] {1, 0, 1}) {
            assertTrue(p.send(frags.get(i)).isEmpty());
        }
        for (int i = 2; i < frags.size(); i++) {
            actions = p.send(frags.get(i));
        }
        assertInstanceOf(IkeAction.Established.class, actions.getLast());
        List<IkeAction.Send> sends = actions.stream().filter(IkeAction.Send.class::isInstance)
                .map(IkeAction.Send.class::cast).toList();
        assertTrue(sends.size() >= 2, "response fragmented");
        for (IkeAction.Send s : sends) {
            assertTrue(s.message().length <= IkeAuthResponder.FRAGMENT_THRESHOLD, s.message().length + " bytes");
            assertEquals(PayloadType.SKF.code(), s.message()[16]);
        }
        List<Payload> reply = p.open(actions);
        assertEquals(2, reply.stream().filter(CertPayload.class::isInstance).count());
        // A retransmission of the request: answered once, on its fragment 1, with all response fragments.
        assertTrue(p.send(frags.get(1)).isEmpty());
        assertEquals(sends.size(), p.send(frags.get(0)).size());
        // The counters behind p2sgw_ike_fragments_total: every verified fragment of the first transmission (the
        // duplicate too), one reassembly, one fragmented response; the retransmission counts nothing.
        assertEquals(frags.size() + 1, IkeFragmentCounters.fragmentsReceived() - received);
        assertEquals(1, IkeFragmentCounters.messagesReassembled() - reassembled);
        assertEquals(sends.size(), IkeFragmentCounters.fragmentsSent() - sentFragments);
        assertEquals(1, IkeFragmentCounters.messagesFragmented() - fragmented);
    }

    @Test
    void noFragmentsToAPeerThatDidNotAnnounceThem() throws Exception {
        Pair p = new Pair(false, List.of(server.cert(), intermediate.cert()));
        long fragmented = IkeFragmentCounters.messagesFragmented();
        List<IkeAction> actions = p.send(p.clientCipher.seal(p.header(), p.request(Optional.empty())));
        assertEquals(fragmented, IkeFragmentCounters.messagesFragmented());
        assertEquals(2, actions.size());
        byte[] m = ((IkeAction.Send) actions.getFirst()).message();
        assertTrue(m.length > IkeAuthResponder.FRAGMENT_THRESHOLD);
        assertEquals(PayloadType.SK.code(), m[16]);
    }

    @Test
    void ecdsaClientWithMethod9() throws Exception {
        Pair p = new Pair();
        p.as = ecClient;
        // Without a hash list, an ECDSA P-256 key signs with method 9 (RFC 4754).
        List<Payload> req = p.request(Optional.empty());
        byte[] octets = AuthSignatures.octets(p.c.lastRequest, p.init.responderNonce(), p.init.suite().prf(),
                p.init.keys().skPi(), p.idi.body());
        AuthPayload m9 = AuthSignatures.sign(ecClient.keys().getPrivate(), new int[0], octets);
        assertEquals(9, m9.method());
        req.set(5, m9);
        List<IkeAction> actions = p.send(p.clientCipher.seal(p.header(), req));
        assertInstanceOf(IkeAction.Established.class, actions.getLast());
    }

    static IkeAction.AuthFailed refused(Pair p, List<IkeAction> actions, NotifyType expected) throws Exception {
        List<Payload> reply = p.open(actions);
        IkeAction.AuthFailed f = assertInstanceOf(IkeAction.AuthFailed.class, actions.getLast());
        assertEquals(expected, f.notifyType());
        return f;
    }

    @Test
    void authenticationFailuresSayOnlyAuthenticationFailed() throws Exception {
        // A certificate from another root: the host's policy refuses it; the reason stays in the log.
        TestPki.Issued otherRoot = TestPki.root("Other Root");
        Pair p = new Pair();
        p.as = TestPki.leaf("mallory", "mallory.example.test", KeyPurposeId.id_kp_clientAuth, otherRoot,
                TestPki.rsa(2048));
        List<IkeAction> a = p.send(p.clientCipher.seal(p.header(), p.request(Optional.empty())));
        List<Payload> reply = p.open(a);
        assertEquals(1, reply.size());
        assertTrue(((NotifyPayload) reply.getFirst()).is(NotifyType.AUTHENTICATION_FAILED));
        assertTrue(refused(p, a, NotifyType.AUTHENTICATION_FAILED).reason().startsWith("untrusted"));
        assertEquals(1, p.host.pool.size(), "no address leased");

        // The AUTH signed over the wrong octets (the responder's nonce replaced by ours).
        Pair q = new Pair();
        List<Payload> req = q.request(Optional.empty());
        byte[] wrong = AuthSignatures.octets(q.c.lastRequest, q.c.nonce, q.init.suite().prf(), q.init.keys().skPi(),
                q.idi.body());
        req.set(5, AuthSignatures.sign(client.keys().getPrivate(), new int[] {2}, wrong));
        assertTrue(refused(q, q.send(q.clientCipher.seal(q.header(), req)), NotifyType.AUTHENTICATION_FAILED)
                .reason().contains("does not verify"));
        // A copied certificate without its key never reaches the policy, which admits and leases in the product.
        assertEquals(0, q.host.asked, "the host is asked only after AUTH verified");

        // IDi an FQDN that is not a SAN of the certificate.
        Pair r = new Pair();
        List<Payload> req2 = r.request(Optional.empty());
        IdPayload other = IdPayload.of(false, IdPayload.ID_FQDN, "someone.example.test".getBytes());
        byte[] octets = AuthSignatures.octets(r.c.lastRequest, r.init.responderNonce(), r.init.suite().prf(),
                r.init.keys().skPi(), other.body());
        req2.set(0, other);
        req2.set(5, AuthSignatures.sign(client.keys().getPrivate(), new int[] {2}, octets));
        assertTrue(refused(r, r.send(r.clientCipher.seal(r.header(), req2)), NotifyType.AUTHENTICATION_FAILED)
                .reason().contains("IDi not in the certificate"));
        assertEquals(0, r.host.asked);

        // The same with the FQDN that is a SAN works (Azure's documented Linux client, ikev2.md §1.9).
        Pair s = new Pair();
        List<Payload> req3 = s.request(Optional.empty());
        IdPayload fqdn = IdPayload.of(false, IdPayload.ID_FQDN, "client1.example.test".getBytes());
        byte[] o3 = AuthSignatures.octets(s.c.lastRequest, s.init.responderNonce(), s.init.suite().prf(),
                s.init.keys().skPi(), fqdn.body());
        req3.set(0, fqdn);
        req3.set(5, AuthSignatures.sign(client.keys().getPrivate(), new int[] {2}, o3));
        assertInstanceOf(IkeAction.Established.class, s.send(s.clientCipher.seal(s.header(), req3)).getLast());
    }

    @Test
    void poolExhaustedAndWindowsEspDefaults() throws Exception {
        Pair p = new Pair();
        p.host.pool.clear();
        List<IkeAction> a = p.send(p.clientCipher.seal(p.header(), p.request(Optional.empty())));
        List<Payload> reply = p.open(a);
        // IDr CERT AUTH then the notify instead of CP/SA/TS (ikev2.md §2.3 step 8).
        assertEquals(List.of(PayloadType.IDR, PayloadType.CERT, PayloadType.AUTH, PayloadType.NOTIFY),
                reply.stream().map(Payload::type).toList());
        assertEquals(NotifyType.INTERNAL_ADDRESS_FAILURE, refused(p, a, NotifyType.INTERNAL_ADDRESS_FAILURE)
                .notifyType());

        // Windows' default ESP offer: AES-CBC-256 (and weaker) with HMAC-SHA1-96 only (ikev2.md §2.4).
        Pair w = new Pair();
        List<Payload> req = w.request(Optional.empty());
        byte[] spi = {0, 0, 0x20, 0};
        req.set(7, new SaPayload(List.of(new Proposal(1, Proposal.PROTOCOL_ESP, spi, List.of(
                Transform.of(TransformType.ENCR, 12, 256), Transform.of(TransformType.INTEG, 2),
                Transform.of(TransformType.ESN, 0))), new Proposal(2, Proposal.PROTOCOL_ESP, spi, List.of(
                Transform.of(TransformType.ENCR, 3), Transform.of(TransformType.INTEG, 2),
                Transform.of(TransformType.ESN, 0))))));
        IkeAction.Established e = assertInstanceOf(IkeAction.Established.class,
                w.send(w.clientCipher.seal(w.header(), req)).getLast());
        assertEquals(EncryptionAlgorithm.AES_CBC_256, e.sa().child().encryption());
        assertEquals(IntegrityAlgorithm.HMAC_SHA1_96, e.sa().child().integrity().orElseThrow());
        assertEquals(20, e.sa().child().keys().integrityInitiator().length);

        // Only 3DES offered: the IKE SA completes with NO_PROPOSAL_CHOSEN in place of SA/TS, and the host deletes it.
        Pair n = new Pair();
        List<Payload> req2 = n.request(Optional.empty());
        req2.set(7, new SaPayload(List.of(new Proposal(1, Proposal.PROTOCOL_ESP, spi, List.of(
                Transform.of(TransformType.ENCR, 3), Transform.of(TransformType.INTEG, 2))))));
        refused(n, n.send(n.clientCipher.seal(n.header(), req2)), NotifyType.NO_PROPOSAL_CHOSEN);
    }

    @Test
    void messagesOutsideTheExchangeAreDropped() throws Exception {
        Pair p = new Pair();
        byte[] good = p.clientCipher.seal(p.header(), p.request(Optional.empty()));
        byte[] mid2 = good.clone();
        mid2[23] = 2;
        byte[] otherSpi = good.clone();
        otherSpi[8] ^= 1;
        for (byte[] m : List.of(mid2, otherSpi, new byte[10])) {
            List<IkeAction> a = p.send(m);
            assertEquals(1, a.size());
            assertInstanceOf(IkeAction.Dropped.class, a.getFirst());
        }
        assertFalse(p.send(good).isEmpty());
    }

    /**
     * Windows' IKE_AUTH CP (ikev2.md §1.14, §2.4): INTERNAL_IP4_ADDRESS, DNS and NBNS, the Microsoft-private
     * MS_INTERNAL_IP4_SERVER (23456), then the IPv6 ones and MS_INTERNAL_IP6_SERVER (23457), all empty as a request's
     * values are. We answer the standard attributes we serve and leave the private ones (and NBNS, IPv6) out of the
     * reply without an error notify: a responder returns only what it assigns (RFC 7296 §3.15.1).
     */
    @Test
    void windowsPrivateCpAttributesAreIgnoredAndTheStandardOnesAnswered() throws Exception {
        Pair p = new Pair();
        List<Payload> req = p.request(Optional.empty());
        req.set(6, new ConfigPayload(ConfigPayload.CFG_REQUEST, List.of(
                new ConfigAttribute(ConfigAttribute.INTERNAL_IP4_ADDRESS, new byte[0]),
                new ConfigAttribute(ConfigAttribute.INTERNAL_IP4_DNS, new byte[0]),
                new ConfigAttribute(ConfigAttribute.INTERNAL_IP4_NBNS, new byte[0]),
                new ConfigAttribute(ConfigAttribute.MS_INTERNAL_IP4_SERVER, new byte[0]),
                new ConfigAttribute(ConfigAttribute.INTERNAL_IP6_ADDRESS, new byte[0]),
                new ConfigAttribute(ConfigAttribute.INTERNAL_IP6_DNS, new byte[0]),
                new ConfigAttribute(ConfigAttribute.MS_INTERNAL_IP6_SERVER, new byte[0]))));
        byte[] sealed = p.clientCipher.seal(p.header(), req);
        // The request's CP as the client encodes it: 23456 and 23457 are type fields 0x5ba0 / 0x5ba1 with length 0.
        byte[] cpRequest = RawPayloads.inMessage(IkeMessage.toBytes(p.header(), List.of(req.get(6))), PayloadType.CP)
                .orElseThrow();
        assertEquals("01000000" + "00010000" + "00030000" + "00040000" + "5ba00000" + "00080000" + "000a0000" + "5ba10000",
                HexFormat.of().formatHex(cpRequest, 4, cpRequest.length));

        List<IkeAction> actions = p.send(sealed);
        IkeAction.Established est = assertInstanceOf(IkeAction.Established.class, actions.getLast());
        assertArrayEquals(VIP, est.sa().virtualAddress());
        Inner reply = p.openRaw(actions);
        // CP(CFG_REPLY), next payload SA (33), length 24: type 2, reserved, INTERNAL_IP4_ADDRESS 172.16.201.10 (the
        // pool's), INTERNAL_IP4_DNS 10.1.0.53, and nothing else.
        byte[] cp = RawPayloads.inChain(reply.chain(), 0, reply.firstType(), PayloadType.CP).orElseThrow();
        assertEquals("21000018" + "02000000" + "00010004ac10c90a" + "000300040a010035", HexFormat.of().formatHex(cp));
        // No notify in the reply: the private attributes are not an error.
        assertEquals(List.of(PayloadType.IDR, PayloadType.CERT, PayloadType.AUTH, PayloadType.CP, PayloadType.SA,
                PayloadType.TSI, PayloadType.TSR), p.open(actions).stream().map(Payload::type).toList());
    }

    /**
     * Apple's IKE_AUTH has no CERTREQ unless the profile names an issuer (ikev2.md §2.4, pitfall §10.1), so our CERT
     * must go out unconditionally: with a chain of server and intermediate configured, the reply's first payloads
     * after IDr are CERT(4, server DER) then CERT(4, intermediate DER), then AUTH (RFC 7296 §3.6, ikev2.md §1.10).
     */
    @Test
    void appleWithoutCertreqStillGetsOurCertificateChain() throws Exception {
        Pair p = new Pair(true, List.of(server.cert(), intermediate.cert()));
        List<Payload> req = p.request(Optional.empty());
        assertInstanceOf(CertRequestPayload.class, req.remove(3));
        assertTrue(req.stream().noneMatch(CertRequestPayload.class::isInstance));
        List<IkeAction> actions = p.send(p.clientCipher.seal(p.header(), req));
        assertInstanceOf(IkeAction.Established.class, actions.getLast());
        Inner reply = p.openRaw(actions);
        byte[] first = RawPayloads.nth(reply.chain(), 0, reply.firstType(), PayloadType.CERT, 0).orElseThrow();
        byte[] second = RawPayloads.nth(reply.chain(), 0, reply.firstType(), PayloadType.CERT, 1).orElseThrow();
        assertArrayEquals(RawPayloads.payload(PayloadType.CERT, concat(new byte[] {4}, server.cert().getEncoded())),
                first);
        assertArrayEquals(RawPayloads.payload(PayloadType.AUTH,
                concat(new byte[] {4}, intermediate.cert().getEncoded())), second);
        assertTrue(RawPayloads.nth(reply.chain(), 0, reply.firstType(), PayloadType.CERT, 2).isEmpty(),
                "the root is never sent");
        // The same with one certificate configured: exactly one CERT, followed by AUTH.
        Pair q = new Pair();
        List<Payload> req2 = q.request(Optional.empty());
        req2.remove(3);
        Inner reply2 = q.openRaw(q.send(q.clientCipher.seal(q.header(), req2)));
        assertArrayEquals(RawPayloads.payload(PayloadType.AUTH, concat(new byte[] {4}, server.cert().getEncoded())),
                RawPayloads.inChain(reply2.chain(), 0, reply2.firstType(), PayloadType.CERT).orElseThrow());
    }

    /**
     * A client whose CERTREQ names a CA that did not issue ours (a macOS profile with another
     * ServerCertificateIssuerCommonName, ikev2.md §2.4) still gets our one certificate: we have no other to select,
     * and the client, not we, decides whether it trusts it (RFC 7296 §3.7 lets the responder send CERT anyway).
     */
    @Test
    void aCertreqForAnotherCaDoesNotSuppressOurCertificate() throws Exception {
        Pair p = new Pair();
        List<Payload> req = p.request(Optional.empty());
        byte[] elsewhere = spkiHash(TestPki.root("Some Other CA").cert());
        req.set(3, new CertRequestPayload(4, elsewhere));
        Inner reply = p.openRaw(p.send(p.clientCipher.seal(p.header(), req)));
        assertArrayEquals(RawPayloads.payload(PayloadType.AUTH, concat(new byte[] {4}, server.cert().getEncoded())),
                RawPayloads.inChain(reply.chain(), 0, reply.firstType(), PayloadType.CERT).orElseThrow());
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
