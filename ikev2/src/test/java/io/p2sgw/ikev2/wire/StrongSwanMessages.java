package io.p2sgw.ikev2.wire;

import static io.p2sgw.ikev2.wire.TransformType.DH;
import static io.p2sgw.ikev2.wire.TransformType.ENCR;
import static io.p2sgw.ikev2.wire.TransformType.INTEG;
import static io.p2sgw.ikev2.wire.TransformType.PRF;

import java.util.ArrayList;
import java.util.List;

/** Messages shaped like strongSwan 5.9.8's defaults (ikev2.md §2.1), for codec and engine tests. */
public final class StrongSwanMessages {
    /** DH groups in strongSwan's default order: x25519, x448, ECP, brainpool, MODP 3072..8192, 2048. */
    public static final int[] DEFAULT_GROUPS = {31, 32, 19, 20, 21, 28, 29, 30, 15, 16, 17, 18, 14};
    static final int[] PRFS = {5, 6, 7, 4, 8, 2};

    private StrongSwanMessages() {}

    /** Proposal #1: AES-CBC, AES-CTR, Camellia-CBC, Camellia-CTR at 128/192/256, 3DES; six INTEG; six PRF. */
    public static Proposal classicProposal(int[] groups) {
        List<Transform> t = new ArrayList<>();
        for (int encr : new int[] {12, 13, 23, 24}) {
            for (int bits : new int[] {128, 192, 256}) {
                t.add(Transform.of(ENCR, encr, bits));
            }
        }
        t.add(Transform.of(ENCR, 3));
        for (int integ : new int[] {12, 13, 14, 5, 8, 2}) {
            t.add(Transform.of(INTEG, integ));
        }
        for (int prf : PRFS) {
            t.add(Transform.of(PRF, prf));
        }
        for (int g : groups) {
            t.add(Transform.of(DH, g));
        }
        return new Proposal(1, Proposal.PROTOCOL_IKE, new byte[0], t);
    }

    /** Proposal #2: AES-CCM-16, AES-GCM-16 at 128/192/256, ChaCha20-Poly1305, CCM-8/12, GCM-8/12; no INTEG. */
    public static Proposal aeadProposal(int[] groups) {
        List<Transform> t = new ArrayList<>();
        for (int encr : new int[] {16, 20}) {
            for (int bits : new int[] {128, 192, 256}) {
                t.add(Transform.of(ENCR, encr, bits));
            }
        }
        t.add(Transform.of(ENCR, 28));
        for (int encr : new int[] {14, 15, 18, 19}) {
            for (int bits : new int[] {128, 192, 256}) {
                t.add(Transform.of(ENCR, encr, bits));
            }
        }
        for (int prf : PRFS) {
            t.add(Transform.of(PRF, prf));
        }
        for (int g : groups) {
            t.add(Transform.of(DH, g));
        }
        return new Proposal(2, Proposal.PROTOCOL_IKE, new byte[0], t);
    }

    public static List<Payload> defaultIkeSaInitPayloads(int keGroup, byte[] keData, byte[] nonce, byte[] natdSource,
            byte[] natdDestination) {
        return List.of(new SaPayload(List.of(classicProposal(DEFAULT_GROUPS), aeadProposal(DEFAULT_GROUPS))),
                new KePayload(keGroup, keData), new NoncePayload(nonce),
                NotifyPayload.of(NotifyType.NAT_DETECTION_SOURCE_IP, natdSource),
                NotifyPayload.of(NotifyType.NAT_DETECTION_DESTINATION_IP, natdDestination),
                NotifyPayload.of(NotifyType.IKEV2_FRAGMENTATION_SUPPORTED),
                NotifyPayload.of(NotifyType.SIGNATURE_HASH_ALGORITHMS,
                        new byte[] {0, 2, 0, 3, 0, 4, 0, 5}),
                NotifyPayload.of(NotifyType.REDIRECT_SUPPORTED));
    }

    public static IkeHeader initRequestHeader(long spiI) {
        return new IkeHeader(spiI, 0, 0, IkeHeader.VERSION_2_0, ExchangeType.IKE_SA_INIT.code(),
                IkeHeader.FLAG_INITIATOR, 0, 0);
    }

    public static byte[] defaultIkeSaInitRequest(long spiI, byte[] x25519, byte[] nonce, byte[] natdSource,
            byte[] natdDestination) {
        return IkeMessage.toBytes(initRequestHeader(spiI),
                defaultIkeSaInitPayloads(31, x25519, nonce, natdSource, natdDestination));
    }
}
