package io.p2sgw.ikev2.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.ikev2.crypto.EncryptionAlgorithm;
import io.p2sgw.ikev2.crypto.IntegrityAlgorithm;
import io.p2sgw.ikev2.wire.Proposal;
import io.p2sgw.ikev2.wire.SaPayload;
import io.p2sgw.ikev2.wire.Transform;
import io.p2sgw.ikev2.wire.TransformType;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What the ESP data path (io.p2sgw.ikev2.esp) relies on from negotiation: a CHILD SA never gets Extended Sequence
 * Numbers (the data path sends and authenticates 32-bit sequence numbers only, RFC 4303 §2.2.1), and never a cipher
 * or integrity transform outside the enums it implements (AES-192, 3DES, AES-XCBC are refused).
 */
class EspProposalSelectionTest {
    private static final byte[] SPI = {0x12, 0x34, 0x56, 0x78};
    private static final ChildPolicy POLICY = ChildPolicy.defaults(List.of(), List.of());

    private static Optional<ProposalSelector.EspChoice> select(Transform... transforms) {
        return ProposalSelector.selectEsp(new SaPayload(List.of(new Proposal(1, Proposal.PROTOCOL_ESP, SPI,
                List.of(transforms)))), POLICY);
    }

    @Test
    void neverAgreesToExtendedSequenceNumbers() {
        assertTrue(select(Transform.of(TransformType.ENCR, 20, 256), Transform.of(TransformType.ESN, 1)).isEmpty(),
                "an ESN-only proposal is refused");
        ProposalSelector.EspChoice both = select(Transform.of(TransformType.ENCR, 20, 256),
                Transform.of(TransformType.ESN, 1), Transform.of(TransformType.ESN, 0)).orElseThrow();
        assertEquals(List.of(Transform.of(TransformType.ENCR, 20, 256), Transform.of(TransformType.ESN, 0)),
                both.reply(0x1000).transforms(), "with both offered, the reply says ESN none");
        assertEquals(0x12345678, both.peerSpi());
    }

    @Test
    void refusesCiphersTheDataPathDoesNotImplement() {
        assertTrue(select(Transform.of(TransformType.ENCR, 12, 192), Transform.of(TransformType.INTEG, 12)).isEmpty(),
                "AES-CBC-192");
        assertTrue(select(Transform.of(TransformType.ENCR, 3), Transform.of(TransformType.INTEG, 2)).isEmpty(), "3DES");
        assertTrue(select(Transform.of(TransformType.ENCR, 12, 256), Transform.of(TransformType.INTEG, 5)).isEmpty(),
                "AES-XCBC-96");
        ProposalSelector.EspChoice cbc = select(Transform.of(TransformType.ENCR, 12, 256),
                Transform.of(TransformType.INTEG, 12)).orElseThrow();
        assertEquals(EncryptionAlgorithm.AES_CBC_256, cbc.encryption());
        assertEquals(Optional.of(IntegrityAlgorithm.HMAC_SHA2_256_128), cbc.integrity());
    }
}
