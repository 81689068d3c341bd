package io.p2sgw.ikev2.crypto;

import java.util.Optional;

/**
 * A negotiated IKE SA suite: one transform of each type. AEAD ciphers carry no INTEG transform (RFC 5282 §8);
 * every other cipher needs one.
 */
public record IkeSuite(EncryptionAlgorithm encryption, Optional<IntegrityAlgorithm> integrity, PrfAlgorithm prf,
        DhGroup group) {
    public IkeSuite {
        if (encryption.isAead() == integrity.isPresent()) {
            throw new IllegalArgumentException(encryption + (encryption.isAead() ? " with " : " without ")
                    + "an INTEG transform");
        }
    }

    public static IkeSuite aead(EncryptionAlgorithm encryption, PrfAlgorithm prf, DhGroup group) {
        return new IkeSuite(encryption, Optional.empty(), prf, group);
    }

    public static IkeSuite classic(EncryptionAlgorithm encryption, IntegrityAlgorithm integrity, PrfAlgorithm prf,
            DhGroup group) {
        return new IkeSuite(encryption, Optional.of(integrity), prf, group);
    }

    public int integrityKeyLength() {
        return integrity.map(IntegrityAlgorithm::keyLength).orElse(0);
    }

    /** The bytes prf+ must produce for the seven IKE SA keys (ikev2.md §3.2 "Totals"). */
    public int keyMaterialLength() {
        return 3 * prf.outputLength() + 2 * integrityKeyLength() + 2 * encryption.keyMaterialLength();
    }

    @Override
    public String toString() {
        return encryption + integrity.map(i -> "/" + i).orElse("") + "/PRF_" + prf + "/" + group;
    }
}
