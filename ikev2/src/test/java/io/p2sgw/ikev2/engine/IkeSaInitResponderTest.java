package io.p2sgw.ikev2.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.ikev2.crypto.DhGroup;
import io.p2sgw.ikev2.crypto.EncryptionAlgorithm;
import io.p2sgw.ikev2.crypto.IntegrityAlgorithm;
import io.p2sgw.ikev2.crypto.PrfAlgorithm;
import io.p2sgw.ikev2.crypto.SkCipher;
import io.p2sgw.ikev2.wire.CertRequestPayload;
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
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The IKE_SA_INIT responder driven by {@link TestInitiator}: full exchanges whose keys both sides derive
 * independently, retransmissions, DH steering, refusals, cookies, NAT detection and half-open expiry.
 */
class IkeSaInitResponderTest {
    static final InetSocketAddress GATEWAY = address("198.51.100.1", 500);
    static final InetSocketAddress CLIENT = address("203.0.113.7", 500);
    static final byte[] ROOT_HASH = HexFormat.of().parseHex("00112233445566778899aabbccddeeff00112233");
    final SecureRandom random = new SecureRandom();

    static InetSocketAddress address(String ip, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(ip), port);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    IkeSaInitResponder responder(boolean legacy) {
        return new IkeSaInitResponder(IkePolicy.defaults(List.of(ROOT_HASH), legacy), random);
    }

    static byte[] sent(List<IkeAction> actions) {
        IkeAction.Send s = assertInstanceOf(IkeAction.Send.class, actions.getFirst());
        assertEquals(GATEWAY, s.from());
        return s.message();
    }

    static HalfOpenIkeSa created(List<IkeAction> actions) {
        assertEquals(2, actions.size(), actions.toString());
        return assertInstanceOf(IkeAction.HalfOpenCreated.class, actions.get(1)).sa();
    }

    /** The only notify of an error response, which carries SPIr 0 and nothing else. */
    static NotifyPayload refusal(List<IkeAction> actions, NotifyType expected) {
        assertEquals(2, actions.size(), actions.toString());
        assertEquals(expected, assertInstanceOf(IkeAction.Refused.class, actions.get(1)).notifyType());
        byte[] m = sent(actions);
        IkeMessage msg = IkeMessage.decode(m, 0, m.length);
        assertEquals(0, msg.header().responderSpi());
        assertEquals(IkeHeader.FLAG_RESPONSE, msg.header().flags());
        assertEquals(1, msg.payloads().size());
        NotifyPayload n = assertInstanceOf(NotifyPayload.class, msg.payloads().getFirst());
        assertTrue(n.is(expected));
        return n;
    }

    @Test
    void strongSwanDefaultsGetAesGcm256AndBothSidesDeriveTheSameKeys() {
        IkeSaInitResponder r = responder(false);
        TestInitiator c = new TestInitiator(random, CLIENT, GATEWAY, DhGroup.CURVE25519);
        byte[] request = c.request(Optional.empty());
        List<IkeAction> actions = r.receive(c.datagram(request), 1_000);
        byte[] response = sent(actions);
        HalfOpenIkeSa sa = created(actions);
        TestInitiator.Established client = c.accept(response);

        // Our preference: AES-GCM-16-256 from the AEAD proposal #2, PRF SHA2-256, the client's x25519 (no INVALID_KE).
        assertEquals(EncryptionAlgorithm.AES_GCM_16_256, sa.suite().encryption());
        assertEquals(PrfAlgorithm.HMAC_SHA2_256, sa.suite().prf());
        assertEquals(DhGroup.CURVE25519, sa.suite().group());
        assertEquals(2, client.response().first(io.p2sgw.ikev2.wire.SaPayload.class).orElseThrow().proposals()
                .getFirst().number());
        // The payload order strongSwan accepted (ikev2.md §2.2 step 4).
        assertEquals(List.of(PayloadType.SA, PayloadType.KE, PayloadType.NONCE, PayloadType.NOTIFY,
                PayloadType.NOTIFY, PayloadType.CERTREQ, PayloadType.NOTIFY, PayloadType.NOTIFY),
                client.response().payloads().stream().map(Payload::type).toList());
        assertArrayEquals(ROOT_HASH, client.response().first(CertRequestPayload.class).orElseThrow().authorities());
        assertArrayEquals(new byte[] {0, 2, 0, 3, 0, 4},
                client.response().findNotify(NotifyType.SIGNATURE_HASH_ALGORITHMS).orElseThrow().data());
        assertTrue(client.response().findNotify(NotifyType.IKEV2_FRAGMENTATION_SUPPORTED).isPresent());
        assertEquals(32, client.responderNonce().length);

        // State for IKE_AUTH: the exact bytes, the nonces, the same seven keys on both sides.
        assertEquals(client.responderSpi(), sa.responderSpi());
        assertArrayEquals(request, sa.requestMessage());
        assertArrayEquals(response, sa.responseMessage());
        assertArrayEquals(c.nonce, sa.initiatorNonce());
        assertArrayEquals(client.responderNonce(), sa.responderNonce());
        for (int i = 0; i < 7; i++) {
            assertArrayEquals(keyBytes(client.keys(), i), keyBytes(sa.keys(), i), "key " + i);
        }
        assertFalse(sa.nat().peerBehindNat());
        assertFalse(sa.nat().weBehindNat());
        assertTrue(sa.peerFragmentation());
        assertArrayEquals(new int[] {2, 3, 4, 5}, sa.peerSignatureHashes());
        assertEquals(1, r.halfOpenCount(1_000));

        // The keys work: the client's first IKE_AUTH-like message opens with the responder's SK cipher.
        IkeHeader auth = new IkeHeader(c.spi, sa.responderSpi(), 0, IkeHeader.VERSION_2_0,
                ExchangeType.IKE_AUTH.code(), IkeHeader.FLAG_INITIATOR, 1, 0);
        List<Payload> inner = List.of(IdPayload.of(false, IdPayload.ID_FQDN,
                "client1.example.test".getBytes(StandardCharsets.US_ASCII)), NotifyPayload.of(NotifyType.INITIAL_CONTACT));
        byte[] sealed = SkCipher.initiator(client.suite(), client.keys(), random).seal(auth, inner);
        IkeMessage m = IkeMessage.decode(sealed, 0, sealed.length);
        byte[] plain = SkCipher.responder(sa.suite(), sa.keys(), random).open(sealed, 0, sealed.length,
                (EncryptedPayload) m.payloads().getFirst());
        assertEquals(2, PayloadChain.decode(plain, 0, plain.length, PayloadType.IDI.code(), 0, true).size());
    }

    static byte[] keyBytes(io.p2sgw.ikev2.crypto.IkeKeys k, int i) {
        return switch (i) {
            case 0 -> k.skD();
            case 1 -> k.skAi();
            case 2 -> k.skAr();
            case 3 -> k.skEi();
            case 4 -> k.skEr();
            case 5 -> k.skPi();
            default -> k.skPr();
        };
    }

    @Test
    void everyGroupOfThePolicyCompletes() {
        for (DhGroup g : List.of(DhGroup.CURVE25519, DhGroup.ECP_256, DhGroup.ECP_384, DhGroup.ECP_521,
                DhGroup.MODP_2048, DhGroup.MODP_2048_256, DhGroup.MODP_1024)) {
            IkeSaInitResponder r = responder(true);
            TestInitiator c = new TestInitiator(random, CLIENT, GATEWAY, g);
            int[] groups = {g.transformId()};
            c.proposals = List.of(io.p2sgw.ikev2.wire.StrongSwanMessages.classicProposal(groups));
            List<IkeAction> actions = r.receive(c.datagram(c.request(Optional.empty())), 0);
            TestInitiator.Established e = c.accept(sent(actions));
            assertEquals(g, created(actions).suite().group());
            // Classic proposal: AES-CBC-256, SHA2-256-128, PRF SHA2-256.
            assertEquals(EncryptionAlgorithm.AES_CBC_256, e.suite().encryption());
            assertEquals(IntegrityAlgorithm.HMAC_SHA2_256_128, e.suite().integrity().orElseThrow());
            assertArrayEquals(e.keys().skPr(), created(actions).keys().skPr(), g.toString());
        }
    }

    @Test
    void retransmittedRequestGetsTheByteIdenticalResponseAndNoSecondSa() {
        IkeSaInitResponder r = responder(false);
        TestInitiator c = new TestInitiator(random, CLIENT, GATEWAY, DhGroup.CURVE25519);
        byte[] request = c.request(Optional.empty());
        byte[] first = sent(r.receive(c.datagram(request), 0));
        List<IkeAction> again = r.receive(c.datagram(request.clone()), 4_000);
        assertEquals(1, again.size(), again.toString());
        assertArrayEquals(first, sent(again));
        assertEquals(1, r.halfOpenCount(4_000));
        // The same SPIi from another port is another initiator: a new SA.
        List<IkeAction> other = r.receive(new InboundDatagram(request, address("203.0.113.7", 4500), GATEWAY), 5_000);
        assertNotEquals(created(other).responderSpi(), IkeMessage.decode(first, 0, first.length).header()
                .responderSpi());
        // Different bytes under a half-open SPIi are dropped, not answered.
        byte[] changed = c.request(Optional.empty());
        changed[changed.length - 1] ^= 1;
        assertInstanceOf(IkeAction.Dropped.class, r.receive(c.datagram(changed), 6_000).getFirst());
    }

    @Test
    void invalidKePayloadSteersTheGroupAndKeepsNoState() {
        IkeSaInitResponder r = responder(false);
        TestInitiator c = new TestInitiator(random, CLIENT, GATEWAY, DhGroup.CURVE25519);
        // KE in x448 (32 in the list, which we do not support), proposals list x448 then x25519 then MODP-2048.
        int[] groups = {32, 31, 14};
        c.proposals = List.of(io.p2sgw.ikev2.wire.StrongSwanMessages.classicProposal(groups));
        byte[] request = c.request(Optional.empty());
        byte[] x448 = java.nio.ByteBuffer.allocate(request.length).put(request).array();
        // Rewrite the KE group to 32 with a 56-byte value: build it directly instead.
        io.p2sgw.ikev2.wire.IkeMessage parsed = IkeMessage.decode(x448, 0, x448.length);
        List<Payload> ps = new java.util.ArrayList<>(parsed.payloads());
        ps.set(1, new io.p2sgw.ikev2.wire.KePayload(32, new byte[56]));
        byte[] wrongGroup = IkeMessage.toBytes(parsed.header(), ps);
        List<IkeAction> actions = r.receive(c.datagram(wrongGroup), 0);
        assertArrayEquals(new byte[] {0, 31}, refusal(actions, NotifyType.INVALID_KE_PAYLOAD).data());
        assertEquals(0, r.halfOpenCount(0));
        // The client retries with the group we asked for and the same proposals (ikev2.md §2.2 step 3).
        TestInitiator.Established e = c.accept(sent(r.receive(c.datagram(request), 100)));
        assertEquals(DhGroup.CURVE25519, e.suite().group());
    }

    @Test
    void theGateIsAskedOnlyForWhatCreatesStateAndItsNoKeepsNoneAndAnswersNothing() {
        List<InetSocketAddress> asked = new java.util.ArrayList<>();
        boolean[] open = {false};
        IkeSaInitResponder r = new IkeSaInitResponder(
                IkePolicy.defaults(List.of(ROOT_HASH), false).withCookieThreshold(1), random, peer -> {
                    asked.add(peer);
                    return open[0];
                });
        TestInitiator c = new TestInitiator(random, CLIENT, GATEWAY, DhGroup.CURVE25519);
        byte[] request = c.request(Optional.empty());
        List<IkeAction> refused = r.receive(c.datagram(request), 0);
        assertEquals(1, refused.size(), refused.toString());
        assertInstanceOf(IkeAction.Dropped.class, refused.getFirst());
        assertEquals(0, r.halfOpenCount(0));
        assertEquals(List.of(CLIENT), asked);

        // The client retransmits; now there is a place.
        open[0] = true;
        created(r.receive(c.datagram(request), 1_000));
        assertEquals(2, asked.size());
        // What answers without state does not ask: a retransmission, a COOKIE demand (threshold 1), no proposal.
        r.receive(c.datagram(request), 1_500);
        TestInitiator other = new TestInitiator(random, address("203.0.113.8", 500), GATEWAY, DhGroup.CURVE25519);
        refusal(r.receive(other.datagram(other.request(Optional.empty())), 2_000), NotifyType.COOKIE);
        assertEquals(2, asked.size());
    }

    @Test
    void aClientsAcceptableKeGroupIsKeptEvenIfWePreferAnother() {
        // iOS 16.5 sends MODP-2048 first and also offers ECP-256 (ikev2.md §2.4).
        IkeSaInitResponder r = responder(false);
        TestInitiator c = new TestInitiator(random, CLIENT, GATEWAY, DhGroup.MODP_2048);
        int[] groups = {14, 19};
        c.proposals = List.of(io.p2sgw.ikev2.wire.StrongSwanMessages.classicProposal(groups));
        assertEquals(DhGroup.MODP_2048, c.accept(sent(r.receive(c.datagram(c.request(Optional.empty())), 0)))
                .suite().group());
    }

    @Test
    void windowsDefaultsNeedTheLegacySwitch() {
        TestInitiator c = new TestInitiator(random, CLIENT, GATEWAY, DhGroup.MODP_1024);
        c.proposals = TestInitiator.windowsDefaultProposals();
        byte[] request = c.request(Optional.empty());
        List<IkeAction> refused = responder(false).receive(c.datagram(request), 0);
        refusal(refused, NotifyType.NO_PROPOSAL_CHOSEN);
        String detail = ((IkeAction.Refused) refused.get(1)).detail();
        assertTrue(detail.contains("#1 IKE ENCR=3 PRF=2 INTEG=2 DH=2"), detail);
        assertTrue(detail.contains("#12 IKE ENCR=12/256 PRF=6 INTEG=13 DH=2"), detail);

        List<IkeAction> accepted = responder(true).receive(c.datagram(request), 0);
        TestInitiator.Established e = c.accept(sent(accepted));
        assertEquals(DhGroup.MODP_1024, e.suite().group());
        // Of the twelve, AES-CBC-256 with SHA2-256 (#11, Azure's "AES256/SHA256/SHA256/GROUP_2" row).
        assertEquals(EncryptionAlgorithm.AES_CBC_256, e.suite().encryption());
        assertEquals(11, e.response().first(io.p2sgw.ikev2.wire.SaPayload.class).orElseThrow().proposals()
                .getFirst().number());
    }

    @Test
    void cookiesAboveTheThreshold() {
        IkeSaInitResponder r = new IkeSaInitResponder(
                IkePolicy.defaults(List.of(ROOT_HASH), false).withCookieThreshold(1), random);
        TestInitiator first = new TestInitiator(random, CLIENT, GATEWAY, DhGroup.CURVE25519);
        created(r.receive(first.datagram(first.request(Optional.empty())), 0));

        TestInitiator c = new TestInitiator(random, address("203.0.113.8", 500), GATEWAY, DhGroup.CURVE25519);
        List<IkeAction> demanded = r.receive(c.datagram(c.request(Optional.empty())), 1_000);
        byte[] cookie = refusal(demanded, NotifyType.COOKIE).data();
        assertEquals(CookieJar.COOKIE_LENGTH, cookie.length);
        assertEquals(1, r.halfOpenCount(1_000));
        // The same request again gets the same cookie (stateless and deterministic for one secret).
        assertArrayEquals(cookie, refusal(r.receive(c.datagram(c.request(Optional.empty())), 1_500),
                NotifyType.COOKIE).data());

        // A wrong cookie, or the right one from another port, earns a fresh demand.
        byte[] wrong = cookie.clone();
        wrong[5] ^= 1;
        refusal(r.receive(c.datagram(c.request(Optional.of(wrong))), 2_000), NotifyType.COOKIE);
        refusal(r.receive(new InboundDatagram(c.request(Optional.of(cookie)), address("203.0.113.8", 501), GATEWAY),
                2_000), NotifyType.COOKIE);

        // With the cookie as first payload it goes through; the keys still match.
        byte[] withCookie = c.request(Optional.of(cookie));
        List<IkeAction> ok = r.receive(c.datagram(withCookie), 2_500);
        TestInitiator.Established e = c.accept(sent(ok));
        assertArrayEquals(withCookie, created(ok).requestMessage());
        assertArrayEquals(e.keys().skD(), created(ok).keys().skD());
    }

    @Test
    void cookiesExpireAfterTwoSecretLifetimes() {
        IkeSaInitResponder r = new IkeSaInitResponder(
                IkePolicy.defaults(List.of(ROOT_HASH), false).withCookieThreshold(0), random);
        TestInitiator c = new TestInitiator(random, CLIENT, GATEWAY, DhGroup.CURVE25519);
        byte[] cookie = refusal(r.receive(c.datagram(c.request(Optional.empty())), 0), NotifyType.COOKIE).data();
        long lifetime = IkePolicy.defaults(List.of(), false).cookieSecretLifetime().toMillis();
        // Still good after one rotation (the previous secret is kept) ...
        created(r.receive(c.datagram(c.request(Optional.of(cookie))), lifetime + 1));
        // ... but not after two.
        TestInitiator d = new TestInitiator(random, CLIENT, GATEWAY, DhGroup.CURVE25519);
        byte[] old = refusal(r.receive(d.datagram(d.request(Optional.empty())), lifetime + 2), NotifyType.COOKIE)
                .data();
        refusal(r.receive(d.datagram(d.request(Optional.of(old))), 3 * lifetime + 3), NotifyType.COOKIE);
    }

    @Test
    void halfOpenSasExpireAndCompletedOnesStopCounting() {
        IkeSaInitResponder r = responder(false);
        TestInitiator a = new TestInitiator(random, CLIENT, GATEWAY, DhGroup.CURVE25519);
        TestInitiator b = new TestInitiator(random, address("203.0.113.9", 500), GATEWAY, DhGroup.CURVE25519);
        created(r.receive(a.datagram(a.request(Optional.empty())), 0));
        created(r.receive(b.datagram(b.request(Optional.empty())), 10_000));
        assertEquals(2, r.halfOpenCount(10_000));
        List<IkeAction> expired = r.tick(30_000);
        assertEquals(1, expired.size());
        assertTrue(((IkeAction.Dropped) expired.getFirst()).reason().contains("expired"));
        assertEquals(1, r.halfOpenCount(30_000));
        r.completed(b.spi, b.self);
        assertEquals(0, r.halfOpenCount(30_000));
    }

    @Test
    void natDetection() {
        IkeSaInitResponder r = responder(false);
        // The client thinks it is 10.0.0.2:500 but arrives as 203.0.113.7:500: behind a NAT.
        TestInitiator c = new TestInitiator(random, CLIENT, GATEWAY, DhGroup.CURVE25519);
        c.claimedSelf = address("10.0.0.2", 500);
        HalfOpenIkeSa sa = created(r.receive(c.datagram(c.request(Optional.empty())), 0));
        assertTrue(sa.nat().supported());
        assertTrue(sa.nat().peerBehindNat());
        assertFalse(sa.nat().weBehindNat());
        // The client dialled a public address that is not ours (an Azure-style front end): we are behind NAT.
        TestInitiator d = new TestInitiator(random, CLIENT, address("192.0.2.50", 500), DhGroup.CURVE25519);
        HalfOpenIkeSa sb = created(r.receive(new InboundDatagram(d.request(Optional.empty()), CLIENT, GATEWAY), 0));
        assertTrue(sb.nat().weBehindNat());
        // No NAT-D in the request: none in the response, and no NAT traversal.
        TestInitiator e = new TestInitiator(random, CLIENT, GATEWAY, DhGroup.CURVE25519);
        e.natDetection = false;
        e.fragmentation = false;
        List<IkeAction> actions = r.receive(e.datagram(e.request(Optional.empty())), 0);
        IkeMessage m = IkeMessage.decode(sent(actions), 0, sent(actions).length);
        assertTrue(m.findNotify(NotifyType.NAT_DETECTION_SOURCE_IP).isEmpty());
        // RFC 7383 §2.3: no FRAG_SUP for a peer that did not announce it.
        assertTrue(m.findNotify(NotifyType.IKEV2_FRAGMENTATION_SUPPORTED).isEmpty());
        assertFalse(created(actions).nat().supported());
        assertFalse(created(actions).peerFragmentation());
    }

    @Test
    void malformedRequestsAreAnsweredWithTheirNotify() {
        IkeSaInitResponder r = responder(false);
        TestInitiator c = new TestInitiator(random, CLIENT, GATEWAY, DhGroup.CURVE25519);
        byte[] good = c.request(Optional.empty());

        byte[] v3 = good.clone();
        v3[17] = 0x30;
        refusal(r.receive(c.datagram(v3), 0), NotifyType.INVALID_MAJOR_VERSION);

        // A critical payload of unknown type 99 appended after the last notify.
        IkeMessage parsed = IkeMessage.decode(good, 0, good.length);
        byte[] withCritical = Arrays.copyOf(good, good.length + 6);
        int lastNotifyStart = good.length - (4 + 4 + 8);
        withCritical[lastNotifyStart] = 99;
        System.arraycopy(new byte[] {0, (byte) 0x80, 0, 6, 1, 2}, 0, withCritical, good.length, 6);
        java.nio.ByteBuffer.wrap(withCritical).putInt(24, withCritical.length);
        assertArrayEquals(new byte[] {99},
                refusal(r.receive(c.datagram(withCritical), 0), NotifyType.UNSUPPORTED_CRITICAL_PAYLOAD).data());

        // Two SA payloads; no nonce; a KE value of the wrong length for its group.
        List<Payload> ps = new java.util.ArrayList<>(parsed.payloads());
        ps.add(1, ps.getFirst());
        refusal(r.receive(c.datagram(IkeMessage.toBytes(parsed.header(), ps)), 0), NotifyType.INVALID_SYNTAX);
        List<Payload> noNonce = new java.util.ArrayList<>(parsed.payloads());
        noNonce.remove(2);
        refusal(r.receive(c.datagram(IkeMessage.toBytes(parsed.header(), noNonce)), 0), NotifyType.INVALID_SYNTAX);
        List<Payload> shortKe = new java.util.ArrayList<>(parsed.payloads());
        shortKe.set(1, new io.p2sgw.ikev2.wire.KePayload(31, new byte[31]));
        refusal(r.receive(c.datagram(IkeMessage.toBytes(parsed.header(), shortKe)), 0), NotifyType.INVALID_SYNTAX);
        assertEquals(0, r.halfOpenCount(0));
    }

    @Test
    void whatIsNotAnIkeSaInitRequestIsDropped() {
        IkeSaInitResponder r = responder(false);
        TestInitiator c = new TestInitiator(random, CLIENT, GATEWAY, DhGroup.CURVE25519);
        byte[] good = c.request(Optional.empty());
        byte[] response = good.clone();
        response[19] = 0x20;
        byte[] auth = good.clone();
        auth[18] = 35;
        byte[] withSpiR = good.clone();
        withSpiR[15] = 1;
        byte[] mid1 = good.clone();
        mid1[23] = 1;
        for (byte[] m : List.of(response, auth, withSpiR, mid1, Arrays.copyOf(good, 27), new byte[0])) {
            List<IkeAction> a = r.receive(c.datagram(m), 0);
            assertEquals(1, a.size());
            assertInstanceOf(IkeAction.Dropped.class, a.getFirst());
        }
    }

    /**
     * The IKE_SA_INIT request a real strongSwan 5.9.8 sent in the lab (wire/StrongSwanCaptureTest): AES-GCM-16-256
     * and its x25519 KE are taken, and with {@code encap = yes} it fakes its NAT-D source hash (ikev2.md §5.2), so we
     * see it behind a NAT.
     */
    @Test
    void theCapturedStrongSwanRequest() throws Exception {
        byte[] m = io.p2sgw.ikev2.wire.StrongSwanCaptureTest.capture("ike-sa-init-request.bin");
        IkeSaInitResponder r = responder(false);
        List<IkeAction> actions = r.receive(new InboundDatagram(m, address("10.77.9.2", 500),
                address("10.77.9.1", 500)), 0);
        HalfOpenIkeSa sa = created(actions);
        assertEquals(EncryptionAlgorithm.AES_GCM_16_256, sa.suite().encryption());
        assertEquals(DhGroup.CURVE25519, sa.suite().group());
        assertTrue(sa.nat().peerBehindNat());
        assertFalse(sa.nat().weBehindNat());
        assertArrayEquals(m, sa.requestMessage());
    }

    /**
     * CERTREQ with three trusted roots (ikev2.md §1.11, RFC 7296 §3.7): one payload, encoding 4, then the 20-byte
     * SHA-1 of each root's DER SubjectPublicKeyInfo, in the policy's order; not SHA-1 of the whole certificate.
     * Windows picks its client certificate from these hashes (ikev2.md §2.4), so each must be exactly right.
     */
    @Test
    void certreqNamesEveryTrustedRootBySpkiSha1InOrder() throws Exception {
        List<java.security.cert.X509Certificate> roots = List.of(TestPki.root("Root A").cert(),
                TestPki.root("Root B").cert(), TestPki.root("Root C").cert());
        java.security.MessageDigest sha1 = java.security.MessageDigest.getInstance("SHA-1");
        java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
        List<byte[]> hashes = new java.util.ArrayList<>();
        for (java.security.cert.X509Certificate root : roots) {
            byte[] h = sha1.digest(root.getPublicKey().getEncoded());
            hashes.add(h);
            expected.writeBytes(h);
        }
        IkeSaInitResponder r = new IkeSaInitResponder(IkePolicy.defaults(hashes, false), random);
        TestInitiator c = new TestInitiator(random, CLIENT, GATEWAY, DhGroup.CURVE25519);
        byte[] response = sent(r.receive(c.datagram(c.request(Optional.empty())), 1_000));
        byte[] certreq = RawPayloads.inMessage(response, PayloadType.CERTREQ).orElseThrow();
        // Generic header: next payload N(FRAG_SUP) = 41, not critical, length 4 + 1 + 3 × 20 = 65; then encoding 4.
        byte[] body = new byte[1 + 60];
        body[0] = 4;
        System.arraycopy(expected.toByteArray(), 0, body, 1, 60);
        assertArrayEquals(RawPayloads.payload(PayloadType.NOTIFY, body), certreq);
        assertEquals("29000041" + "04", HexFormat.of().formatHex(certreq, 0, 5));
        for (java.security.cert.X509Certificate root : roots) {
            byte[] whole = sha1.digest(root.getEncoded());
            assertFalse(HexFormat.of().formatHex(certreq).contains(HexFormat.of().formatHex(whole)),
                    "SHA-1 of the whole certificate is not the CA hash");
        }
        // Exactly one CERTREQ payload carries all three.
        assertTrue(RawPayloads.nth(response, RawPayloads.IKE_HEADER_LENGTH, response[16] & 0xFF,
                PayloadType.CERTREQ, 1).isEmpty());
    }
}
