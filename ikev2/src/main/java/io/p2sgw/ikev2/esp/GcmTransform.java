package io.p2sgw.ikev2.esp;

import io.p2sgw.ikev2.crypto.EncryptionAlgorithm;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-GCM-16 in ESP (RFC 4106): the key material is the AES key followed by a 4-byte salt (§8.1); nonce = salt ‖ the
 * 8-byte explicit IV (§4); AAD = SPI ‖ 32-bit Sequence Number without ESN (§5); a 16-byte tag as the ICV (§6).
 *
 * <p>The IV is the 64-bit sequence number (as Linux's seqiv does): the SA never sends two packets with one sequence
 * number, so the nonce never repeats under the key (RFC 4106 §3.1 "MUST NOT repeat"; ikev2.md pitfall §10.15). That
 * also satisfies JCA's refusal to encrypt twice with the same key and IV. JCA needs a {@code Cipher.init} per nonce,
 * which allocates inside the provider (its GHASH and counter state): the one per-packet allocation of the data path.
 */
final class GcmTransform implements EspTransform {
    private static final int TAG_BITS = 128;
    private static final int IV = 8;
    private static final int SALT = 4;

    private final Cipher cipher;
    private final SecretKeySpec key;
    private final int mode;
    /** salt ‖ IV; the salt is fixed per SA. */
    private final byte[] nonce = new byte[SALT + IV];

    GcmTransform(EncryptionAlgorithm encryption, byte[] keyMaterial, boolean outbound) {
        key = new SecretKeySpec(keyMaterial, 0, encryption.keyLength(), "AES");
        System.arraycopy(keyMaterial, encryption.keyLength(), nonce, 0, SALT);
        mode = outbound ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE;
        try {
            cipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM unavailable", e);
        }
    }

    @Override
    public int ivLength() {
        return IV;
    }

    @Override
    public int icvLength() {
        return TAG_BITS / 8;
    }

    @Override
    public int cipherBlock() {
        return 1;
    }

    @Override
    public int padBlock() {
        return 4;
    }

    @Override
    public boolean open(byte[] b, int off, int len) {
        System.arraycopy(b, off + HEADER, nonce, SALT, IV);
        int ctOff = off + HEADER + IV;
        try {
            cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(b, off, HEADER);
            // In place at the same offset, which JCA supports without an intermediate copy.
            cipher.doFinal(b, ctOff, off + len - ctOff, b, ctOff);
            return true;
        } catch (GeneralSecurityException e) {
            // AEADBadTagException: a forged or corrupted packet. Nothing else can fail on checked lengths.
            return false;
        }
    }

    @Override
    public void seal(byte[] b, int off, int plainLength, long seq) {
        int ivOff = off + HEADER;
        for (int i = 0; i < IV; i++) {
            b[ivOff + i] = (byte) (seq >>> (56 - 8 * i));
        }
        System.arraycopy(b, ivOff, nonce, SALT, IV);
        int ptOff = ivOff + IV;
        try {
            cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(b, off, HEADER);
            int n = cipher.doFinal(b, ptOff, plainLength, b, ptOff);
            if (n != plainLength + icvLength()) {
                throw new IllegalStateException("unexpected GCM output length " + n);
            }
        } catch (GeneralSecurityException e) {
            // Only a repeated nonce (impossible: the sequence number is unique) or a short buffer (sized by the SA).
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    @Override
    public void wipe() {
        Arrays.fill(nonce, (byte) 0);
    }
}
