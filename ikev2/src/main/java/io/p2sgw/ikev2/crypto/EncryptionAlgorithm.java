package io.p2sgw.ikev2.crypto;

import java.util.Optional;

/**
 * The ENCR transforms of our policy (ikev2.md §2.4, Azure's P2S policy plus what strongSwan and Apple send), with
 * their wire id (RFC 7296 §3.3.2, IANA "Transform Type 1"), key length attribute and sizes (ikev2.md §3.2 table).
 * AES-GCM with a 16-byte ICV is RFC 5282 (IKE) and RFC 4106 (ESP); its key material carries a 4-byte salt at the end.
 */
public enum EncryptionAlgorithm {
    AES_CBC_128(12, 128, 16, 0, 16, 0, 16),
    AES_CBC_256(12, 256, 32, 0, 16, 0, 16),
    AES_GCM_16_128(20, 128, 16, 4, 8, 16, 1),
    AES_GCM_16_256(20, 256, 32, 4, 8, 16, 1);

    public static final int ID_AES_CBC = 12;
    public static final int ID_AES_GCM_16 = 20;

    private final int transformId;
    private final int keyBits;
    private final int keyLength;
    private final int saltLength;
    private final int ivLength;
    private final int tagLength;
    private final int blockSize;

    EncryptionAlgorithm(int transformId, int keyBits, int keyLength, int saltLength, int ivLength, int tagLength,
            int blockSize) {
        this.transformId = transformId;
        this.keyBits = keyBits;
        this.keyLength = keyLength;
        this.saltLength = saltLength;
        this.ivLength = ivLength;
        this.tagLength = tagLength;
        this.blockSize = blockSize;
    }

    public static Optional<EncryptionAlgorithm> of(int transformId, int keyBits) {
        for (EncryptionAlgorithm a : values()) {
            if (a.transformId == transformId && a.keyBits == keyBits) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    public int transformId() {
        return transformId;
    }

    /** The Key Length attribute's value (RFC 7296 §3.3.5). */
    public int keyBits() {
        return keyBits;
    }

    /** The AES key, without salt. */
    public int keyLength() {
        return keyLength;
    }

    public int saltLength() {
        return saltLength;
    }

    /** The length of SK_e* / encr_* taken from prf+: key plus salt (RFC 5282 §7.1, RFC 4106 §8.1). */
    public int keyMaterialLength() {
        return keyLength + saltLength;
    }

    /** The explicit IV carried in each SK payload or ESP packet. */
    public int ivLength() {
        return ivLength;
    }

    /** The AEAD tag length, 0 for non-AEAD ciphers (whose ICV comes from the INTEG transform). */
    public int tagLength() {
        return tagLength;
    }

    /** The plaintext must be a multiple of this (RFC 7296 §3.14); 1 for GCM, which needs no padding. */
    public int blockSize() {
        return blockSize;
    }

    public boolean isAead() {
        return tagLength > 0;
    }
}
