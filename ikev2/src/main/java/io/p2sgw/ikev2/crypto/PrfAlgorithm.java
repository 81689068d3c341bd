package io.p2sgw.ikev2.crypto;

import java.security.GeneralSecurityException;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The PRF transforms of our policy (RFC 7296 §3.3.2; HMAC-SHA-2 PRFs RFC 4868 §2.1.2) and prf+ (RFC 7296 §2.13).
 * HMAC takes keys of any length, so the nonces can key SKEYSEED directly (§2.14).
 */
public enum PrfAlgorithm {
    HMAC_SHA1(2, "HmacSHA1", 20),
    HMAC_SHA2_256(5, "HmacSHA256", 32),
    HMAC_SHA2_384(6, "HmacSHA384", 48),
    HMAC_SHA2_512(7, "HmacSHA512", 64);

    /** prf+ counts its blocks in one byte, 0x01 to 0xFF (RFC 7296 §2.13). */
    public static final int MAX_PRF_PLUS_BLOCKS = 255;

    private final int transformId;
    private final String jcaName;
    private final int outputLength;

    PrfAlgorithm(int transformId, String jcaName, int outputLength) {
        this.transformId = transformId;
        this.jcaName = jcaName;
        this.outputLength = outputLength;
    }

    public static Optional<PrfAlgorithm> of(int transformId) {
        for (PrfAlgorithm a : values()) {
            if (a.transformId == transformId) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    public int transformId() {
        return transformId;
    }

    /** The output length, which is also the length of SK_d, SK_pi and SK_pr (RFC 7296 §2.14). */
    public int outputLength() {
        return outputLength;
    }

    Mac newMac(byte[] key) {
        try {
            Mac mac = Mac.getInstance(jcaName);
            mac.init(new SecretKeySpec(key, jcaName));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(jcaName + " unavailable", e);
        }
    }

    /** prf(K, S) with S the concatenation of {@code parts}. */
    public byte[] prf(byte[] key, byte[]... parts) {
        Mac mac = newMac(key);
        for (byte[] p : parts) {
            mac.update(p);
        }
        return mac.doFinal();
    }

    /** prf+(K, S) = T1 | T2 | ..., T1 = prf(K, S | 0x01), Tn = prf(K, Tn-1 | S | n), cut to {@code length}. */
    public byte[] prfPlus(byte[] key, byte[] seed, int length) {
        int blocks = (length + outputLength - 1) / outputLength;
        if (length < 0 || blocks > MAX_PRF_PLUS_BLOCKS) {
            throw new IllegalArgumentException("prf+ of " + length + " bytes");
        }
        Mac mac = newMac(key);
        byte[] out = new byte[length];
        byte[] t = new byte[0];
        for (int n = 1; n <= blocks; n++) {
            mac.update(t);
            mac.update(seed);
            mac.update((byte) n);
            t = mac.doFinal();
            int off = (n - 1) * outputLength;
            System.arraycopy(t, 0, out, off, Math.min(outputLength, length - off));
        }
        return out;
    }
}
