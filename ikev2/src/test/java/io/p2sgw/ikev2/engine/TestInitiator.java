package io.p2sgw.ikev2.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.ikev2.crypto.DhGroup;
import io.p2sgw.ikev2.crypto.EncryptionAlgorithm;
import io.p2sgw.ikev2.crypto.IkeKeys;
import io.p2sgw.ikev2.crypto.IkeSuite;
import io.p2sgw.ikev2.crypto.IntegrityAlgorithm;
import io.p2sgw.ikev2.crypto.KeyDerivation;
import io.p2sgw.ikev2.crypto.KeyExchange;
import io.p2sgw.ikev2.crypto.PrfAlgorithm;
import io.p2sgw.ikev2.wire.ExchangeType;
import io.p2sgw.ikev2.wire.IkeHeader;
import io.p2sgw.ikev2.wire.IkeMessage;
import io.p2sgw.ikev2.wire.KePayload;
import io.p2sgw.ikev2.wire.NoncePayload;
import io.p2sgw.ikev2.wire.NotifyPayload;
import io.p2sgw.ikev2.wire.NotifyType;
import io.p2sgw.ikev2.wire.Payload;
import io.p2sgw.ikev2.wire.Proposal;
import io.p2sgw.ikev2.wire.SaPayload;
import io.p2sgw.ikev2.wire.StrongSwanMessages;
import io.p2sgw.ikev2.wire.Transform;
import io.p2sgw.ikev2.wire.TransformType;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A minimal IKEv2 initiator for the engine tests, built from the same wire and crypto classes: it sends an
 * IKE_SA_INIT request shaped like strongSwan's (ikev2.md §2.1) or with the proposals given, and from the response
 * derives the keys itself, as a client would, so the test can compare them with the responder's.
 */
final class TestInitiator {
    final SecureRandom random;
    final long spi;
    final InetSocketAddress self;
    final InetSocketAddress gateway;
    final byte[] nonce = new byte[32];
    List<Proposal> proposals;
    boolean natDetection = true;
    boolean fragmentation = true;
    /** The address the initiator believes it has (differs from {@link #self} behind a NAT). */
    InetSocketAddress claimedSelf;
    KeyExchange ke;
    byte[] lastRequest;

    TestInitiator(SecureRandom random, InetSocketAddress self, InetSocketAddress gateway, DhGroup keGroup) {
        this.random = random;
        this.spi = random.nextLong() | 1;
        this.self = self;
        this.claimedSelf = self;
        this.gateway = gateway;
        random.nextBytes(nonce);
        this.proposals = List.of(StrongSwanMessages.classicProposal(StrongSwanMessages.DEFAULT_GROUPS),
                StrongSwanMessages.aeadProposal(StrongSwanMessages.DEFAULT_GROUPS));
        this.ke = keGroup.newKeyExchange(random);
    }

    /** Windows 10's default offer (ikev2.md §2.4): one proposal per combination, every one with MODP-1024 only. */
    static List<Proposal> windowsDefaultProposals() {
        List<Proposal> ps = new ArrayList<>();
        int n = 1;
        for (int[] encr : new int[][] {{3, 0}, {12, 128}, {12, 192}, {12, 256}}) {
            for (int[] integPrf : new int[][] {{2, 2}, {12, 5}, {13, 6}}) {
                ps.add(new Proposal(n++, Proposal.PROTOCOL_IKE, new byte[0], List.of(
                        encr[1] == 0 ? Transform.of(TransformType.ENCR, encr[0])
                                : Transform.of(TransformType.ENCR, encr[0], encr[1]),
                        Transform.of(TransformType.INTEG, integPrf[0]), Transform.of(TransformType.PRF, integPrf[1]),
                        Transform.of(TransformType.DH, 2))));
            }
        }
        return ps;
    }

    void useGroup(DhGroup group) {
        ke = group.newKeyExchange(random);
    }

    byte[] request(Optional<byte[]> cookie) {
        List<Payload> ps = new ArrayList<>();
        cookie.ifPresent(c -> ps.add(NotifyPayload.of(NotifyType.COOKIE, c)));
        ps.add(new SaPayload(proposals));
        ps.add(new KePayload(ke.group().transformId(), ke.publicValue()));
        ps.add(new NoncePayload(nonce));
        if (natDetection) {
            ps.add(NotifyPayload.of(NotifyType.NAT_DETECTION_SOURCE_IP, NatDetection.hash(spi, 0, claimedSelf)));
            ps.add(NotifyPayload.of(NotifyType.NAT_DETECTION_DESTINATION_IP, NatDetection.hash(spi, 0, gateway)));
        }
        if (fragmentation) {
            ps.add(NotifyPayload.of(NotifyType.IKEV2_FRAGMENTATION_SUPPORTED));
        }
        ps.add(NotifyPayload.of(NotifyType.SIGNATURE_HASH_ALGORITHMS, new byte[] {0, 2, 0, 3, 0, 4, 0, 5}));
        lastRequest = IkeMessage.toBytes(StrongSwanMessages.initRequestHeader(spi), ps);
        return lastRequest;
    }

    InboundDatagram datagram(byte[] request) {
        return new InboundDatagram(request, self, gateway);
    }

    /** What the initiator learns from a successful IKE_SA_INIT response. */
    record Established(IkeSuite suite, long responderSpi, byte[] responderNonce, IkeKeys keys, IkeMessage response) {}

    /** Checks the response as a client would and derives the keys on the initiator's side. */
    Established accept(byte[] response) {
        IkeMessage m = IkeMessage.decode(response, 0, response.length);
        IkeHeader h = m.header();
        assertEquals(spi, h.initiatorSpi());
        assertTrue(h.responderSpi() != 0);
        assertEquals(ExchangeType.IKE_SA_INIT, h.exchange().orElseThrow());
        assertEquals(IkeHeader.FLAG_RESPONSE, h.flags());
        SaPayload sa = m.first(SaPayload.class).orElseThrow();
        assertEquals(1, sa.proposals().size());
        Proposal p = sa.proposals().getFirst();
        assertEquals(0, p.spi().length);
        Transform encr = p.transformsOf(TransformType.ENCR).getFirst();
        EncryptionAlgorithm e = EncryptionAlgorithm.of(encr.id(), encr.keyLength()).orElseThrow();
        Optional<IntegrityAlgorithm> i = p.transformsOf(TransformType.INTEG).stream().findFirst()
                .map(t -> IntegrityAlgorithm.of(t.id()).orElseThrow());
        PrfAlgorithm prf = PrfAlgorithm.of(p.transformsOf(TransformType.PRF).getFirst().id()).orElseThrow();
        DhGroup g = DhGroup.of(p.transformsOf(TransformType.DH).getFirst().id()).orElseThrow();
        assertEquals(ke.group(), g, "the reply's group is the KE's");
        IkeSuite suite = new IkeSuite(e, i, prf, g);
        // Exactly one transform per type, and the chosen proposal is one we offered, under its number.
        assertEquals(i.isPresent() ? 4 : 3, p.transforms().size());
        Proposal offered = proposals.stream().filter(o -> o.number() == p.number()).findFirst().orElseThrow();
        assertTrue(offered.transforms().containsAll(p.transforms()), "chosen transforms were offered");

        KePayload theirs = m.first(KePayload.class).orElseThrow();
        assertEquals(g.transformId(), theirs.group());
        byte[] nr = m.first(NoncePayload.class).orElseThrow().nonce();
        byte[] gir = ke.sharedSecret(theirs.keyData());
        IkeKeys keys = KeyDerivation.ikeKeys(suite, KeyDerivation.skeyseed(prf, nonce, nr, gir), nonce, nr, spi,
                h.responderSpi());
        if (natDetection) {
            // The response's hashes use the response's SPIs (ikev2.md §5.1).
            assertArrayEquals(NatDetection.hash(spi, h.responderSpi(), gateway),
                    m.findNotify(NotifyType.NAT_DETECTION_SOURCE_IP).orElseThrow().data());
            assertArrayEquals(NatDetection.hash(spi, h.responderSpi(), self),
                    m.findNotify(NotifyType.NAT_DETECTION_DESTINATION_IP).orElseThrow().data());
        }
        return new Established(suite, h.responderSpi(), nr, keys, m);
    }
}
