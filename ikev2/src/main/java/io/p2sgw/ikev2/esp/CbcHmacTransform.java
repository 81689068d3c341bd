package io.p2sgw.ikev2.esp;

import io.p2sgw.ikev2.crypto.EncryptionAlgorithm;
import io.p2sgw.ikev2.crypto.IntegrityAlgorithm;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-CBC (RFC 3602) with an HMAC ICV (RFC 2404 HMAC-SHA-1-96, RFC 4868 HMAC-SHA-2): encrypt-then-MAC, the ICV over
 * SPI ‖ Sequence Number ‖ IV ‖ ciphertext (RFC 4303 §2.8, §3.4.4.1), verified before anything is decrypted.
 *
 * <p>The JCA cipher is initialised once and never re-initialised or finished, so no packet allocates. (It never
 * works in place either: SunJCE's CipherCore copies its input to a new array when input and output overlap, so the
 * cipher reads from or writes to a per-SA scratch array, and one copy of the payload moves it.) JCA's CBC
 * chains across {@code update} calls: its state is the last ciphertext block it produced. Both directions use that:
 * <ul>
 *   <li>Decrypt: feed IV ‖ ciphertext. The first output block is junk (the IV decrypted under the previous state);
 *       after it the state is the packet's IV, so the rest is the packet's plaintext.</li>
 *   <li>Encrypt: feed (N ⊕ S) ‖ plaintext, where S is the chaining state and N a per-packet nonce (zeros ‖ the 64-bit
 *       sequence number). The first output block is E(N), which becomes the IV; the rest is the plaintext under that
 *       IV. The IV is the forward cipher applied to a unique nonce under the SA's key, NIST SP 800-38A appendix C's
 *       first method for an unpredictable CBC IV (RFC 3602 §3 requires unpredictability).</li>
 * </ul>
 */
final class CbcHmacTransform implements EspTransform {
    private static final int BLOCK = 16;

    private final Cipher cipher;
    private final Hmac hmac;
    /** Encryption only: the last ciphertext block the cipher produced, i.e. its CBC state. */
    private final byte[] chain = new byte[BLOCK];
    /** IV ‖ text, the cipher's other side; grows (rarely) to the largest packet seen. */
    private byte[] scratch = new byte[2048];

    CbcHmacTransform(EncryptionAlgorithm encryption, byte[] encryptionKey, IntegrityAlgorithm integrity,
            byte[] integrityKey, boolean outbound) {
        hmac = new Hmac(integrity, integrityKey);
        try {
            cipher = Cipher.getInstance("AES/CBC/NoPadding");
            // The state starts as an all-zero block: the chain array's initial contents.
            cipher.init(outbound ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE,
                    new SecretKeySpec(encryptionKey, 0, encryption.keyLength(), "AES"), new IvParameterSpec(chain));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CBC unavailable", e);
        }
    }

    @Override
    public int ivLength() {
        return BLOCK;
    }

    @Override
    public int icvLength() {
        return hmac.icvLength();
    }

    @Override
    public int cipherBlock() {
        return BLOCK;
    }

    @Override
    public int padBlock() {
        return BLOCK;
    }

    @Override
    public boolean open(byte[] b, int off, int len) {
        int icvOff = off + len - hmac.icvLength();
        if (!hmac.verify(b, off, icvOff - off, icvOff)) {
            return false;
        }
        int ivOff = off + HEADER;
        int textLength = icvOff - ivOff;
        update(b, ivOff, scratch(textLength), 0, textLength);
        // The first block is the discarded one; the plaintext goes back where the ciphertext was.
        System.arraycopy(scratch, BLOCK, b, ivOff + BLOCK, textLength - BLOCK);
        return true;
    }

    @Override
    public void seal(byte[] b, int off, int plainLength, long seq) {
        int ivOff = off + HEADER;
        byte[] in = scratch(BLOCK + plainLength);
        for (int i = 0; i < BLOCK; i++) {
            byte nonce = i < BLOCK - 8 ? 0 : (byte) (seq >>> (8 * (BLOCK - 1 - i)));
            in[i] = (byte) (nonce ^ chain[i]);
        }
        System.arraycopy(b, ivOff + BLOCK, in, BLOCK, plainLength);
        int end = ivOff + BLOCK + plainLength;
        update(in, 0, b, ivOff, BLOCK + plainLength);
        System.arraycopy(b, end - BLOCK, chain, 0, BLOCK);
        hmac.sign(b, off, end - off, b, end);
    }

    private byte[] scratch(int length) {
        if (scratch.length < length) {
            scratch = new byte[length];
        }
        return scratch;
    }

    private void update(byte[] in, int inOff, byte[] out, int outOff, int len) {
        try {
            int n = cipher.update(in, inOff, len, out, outOff);
            if (n != len) {
                throw new IllegalStateException("CBC held back " + (len - n) + " bytes");
            }
        } catch (GeneralSecurityException e) {
            // ShortBufferException: impossible, both sides are sized for the whole text.
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void wipe() {
        hmac.wipe();
        Arrays.fill(chain, (byte) 0);
        Arrays.fill(scratch, (byte) 0);
    }
}
