package io.p2sgw.ikev2.esp;

import io.p2sgw.ikev2.crypto.EncryptionAlgorithm;
import io.p2sgw.ikev2.crypto.IntegrityAlgorithm;
import java.util.Optional;

/**
 * The cryptographic part of one direction of an ESP SA, working in place on a packet laid out as in RFC 4303 §2:
 * SPI (4) ‖ Sequence Number (4) ‖ IV ‖ ciphertext ‖ ICV, with {@code off} at the SPI. The framing (header, padding,
 * trailer, replay) is the caller's, so both families share it.
 */
sealed interface EspTransform permits GcmTransform, CbcHmacTransform {
    /** SPI and Sequence Number (RFC 4303 §2.1, §2.2). */
    int HEADER = 8;

    static EspTransform create(EncryptionAlgorithm encryption, Optional<IntegrityAlgorithm> integrity,
            byte[] encryptionKey, byte[] integrityKey, boolean outbound) {
        if (encryptionKey.length != encryption.keyMaterialLength()) {
            throw new IllegalArgumentException(encryption + " needs " + encryption.keyMaterialLength()
                    + " bytes of key material");
        }
        if (encryption.isAead()) {
            if (integrity.isPresent()) {
                // RFC 4106 §5 / RFC 5282 §8: an AEAD cipher carries its own ICV; no INTEG transform goes with it.
                throw new IllegalArgumentException("AES-GCM takes no integrity transform");
            }
            return new GcmTransform(encryption, encryptionKey, outbound);
        }
        return new CbcHmacTransform(encryption, encryptionKey,
                integrity.orElseThrow(() -> new IllegalArgumentException(encryption + " needs an integrity transform")),
                integrityKey, outbound);
    }

    /** The explicit IV after the sequence number: 8 for GCM (RFC 4106 §3.1), 16 for AES-CBC (RFC 3602 §3). */
    int ivLength();

    /** The ICV after the ciphertext: the GCM tag or the truncated HMAC. */
    int icvLength();

    /** The ciphertext must be a multiple of this to be decryptable: 16 for AES-CBC, 1 for GCM (a stream mode). */
    int cipherBlock();

    /**
     * The padded plaintext (payload ‖ padding ‖ Pad Length ‖ Next Header) is a multiple of this: the cipher block for
     * AES-CBC, 4 for GCM (RFC 4303 §2.4: the trailer ends on a 4-byte boundary).
     */
    int padBlock();

    /**
     * Verifies the packet {@code b[off, off+len)} and decrypts its ciphertext in place, so the plaintext starts at
     * {@code off + HEADER + ivLength()}. The caller has checked the length and block alignment. False when the ICV or
     * tag does not verify; the plaintext area is then undefined.
     */
    boolean open(byte[] b, int off, int len);

    /**
     * Encrypts in place the plaintext of {@code plainLength} bytes at {@code off + HEADER + ivLength()}, whose header
     * (SPI, {@code seq}) the caller has written: fills the IV, encrypts, and appends the ICV.
     */
    void seal(byte[] b, int off, int plainLength, long seq);

    /** Forgets the keys as far as JCA lets us (our own copies are zeroed). */
    void wipe();
}
