package io.p2sgw.ikev2.esp;

import io.p2sgw.ikev2.crypto.IntegrityAlgorithm;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * HMAC (RFC 2104) over a reused {@link MessageDigest}, for the ESP ICV (RFC 2404, RFC 4868 §2). JCA's {@code Mac}
 * computes the same thing, but {@code Mac.doFinal} returns a new array per call, and the data path must not
 * allocate per packet; {@link MessageDigest#digest(byte[], int, int)} writes into ours. The cost is the same as
 * JCA's HmacCore: the padded key block is hashed again for each message. Not thread-safe: one per SA direction.
 */
final class Hmac {
    private final MessageDigest inner;
    private final MessageDigest outer;
    private final byte[] innerPad;
    private final byte[] outerPad;
    private final byte[] digest;
    private final int icvLength;

    Hmac(IntegrityAlgorithm algorithm, byte[] key) {
        String name = switch (algorithm) {
            case HMAC_SHA1_96 -> "SHA-1";
            case HMAC_SHA2_256_128 -> "SHA-256";
            case HMAC_SHA2_384_192 -> "SHA-384";
            case HMAC_SHA2_512_256 -> "SHA-512";
        };
        // RFC 2104 §2: B is the hash's block size, 64 bytes for SHA-1 and SHA-256, 128 for SHA-384 and SHA-512.
        int blockSize = algorithm == IntegrityAlgorithm.HMAC_SHA2_384_192
                || algorithm == IntegrityAlgorithm.HMAC_SHA2_512_256 ? 128 : 64;
        try {
            inner = MessageDigest.getInstance(name);
            outer = MessageDigest.getInstance(name);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(name + " unavailable", e);
        }
        if (key.length != algorithm.keyLength()) {
            // RFC 4868 §2.1.1 and RFC 2404 §3: the key is exactly the hash length (so never longer than B).
            throw new IllegalArgumentException(algorithm + " needs a " + algorithm.keyLength() + "-byte key");
        }
        innerPad = new byte[blockSize];
        outerPad = new byte[blockSize];
        for (int i = 0; i < blockSize; i++) {
            byte k = i < key.length ? key[i] : 0;
            innerPad[i] = (byte) (k ^ 0x36);
            outerPad[i] = (byte) (k ^ 0x5c);
        }
        digest = new byte[inner.getDigestLength()];
        icvLength = algorithm.icvLength();
    }

    int icvLength() {
        return icvLength;
    }

    /** HMAC over {@code b[off, off+len)}, truncated to the ICV length, written to {@code out[outOff...]}. */
    void sign(byte[] b, int off, int len, byte[] out, int outOff) {
        compute(b, off, len);
        System.arraycopy(digest, 0, out, outOff, icvLength);
    }

    /** Whether the truncated HMAC over {@code b[off, off+len)} equals {@code b[icvOff, icvOff+icvLength)}. */
    boolean verify(byte[] b, int off, int len, int icvOff) {
        compute(b, off, len);
        // Constant time, as MessageDigest.isEqual, over a slice: a timing difference must not reveal a prefix match.
        int diff = 0;
        for (int i = 0; i < icvLength; i++) {
            diff |= digest[i] ^ b[icvOff + i];
        }
        return diff == 0;
    }

    private void compute(byte[] b, int off, int len) {
        try {
            inner.update(innerPad);
            inner.update(b, off, len);
            inner.digest(digest, 0, digest.length);
            outer.update(outerPad);
            outer.update(digest);
            outer.digest(digest, 0, digest.length);
        } catch (GeneralSecurityException e) {
            // digest(byte[], int, int) fails only for a too-small buffer, and ours is the digest length.
            throw new IllegalStateException(e);
        }
    }

    /** Clears the key-derived pads (the SA is gone). */
    void wipe() {
        Arrays.fill(innerPad, (byte) 0);
        Arrays.fill(outerPad, (byte) 0);
        Arrays.fill(digest, (byte) 0);
    }
}
