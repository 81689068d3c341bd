package io.p2sgw.ikev2.crypto;

import java.security.GeneralSecurityException;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The INTEG transforms of our policy (RFC 7296 §3.3.2; HMAC-SHA-1-96 is RFC 2404, the SHA-2 ones RFC 4868 §2):
 * HMAC with the key as long as the hash output, truncated to half of it (SHA-1: to 96 bits).
 */
public enum IntegrityAlgorithm {
    HMAC_SHA1_96(2, "HmacSHA1", 20, 12),
    HMAC_SHA2_256_128(12, "HmacSHA256", 32, 16),
    HMAC_SHA2_384_192(13, "HmacSHA384", 48, 24),
    HMAC_SHA2_512_256(14, "HmacSHA512", 64, 32);

    private final int transformId;
    private final String jcaName;
    private final int keyLength;
    private final int icvLength;

    IntegrityAlgorithm(int transformId, String jcaName, int keyLength, int icvLength) {
        this.transformId = transformId;
        this.jcaName = jcaName;
        this.keyLength = keyLength;
        this.icvLength = icvLength;
    }

    public static Optional<IntegrityAlgorithm> of(int transformId) {
        for (IntegrityAlgorithm a : values()) {
            if (a.transformId == transformId) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    public int transformId() {
        return transformId;
    }

    public int keyLength() {
        return keyLength;
    }

    /** The truncated output carried as the ICV. */
    public int icvLength() {
        return icvLength;
    }

    /** A MAC keyed with {@code key}; callers keep it per SA and direction (ikev2.md §11). */
    public Mac newMac(byte[] key) {
        try {
            Mac mac = Mac.getInstance(jcaName);
            mac.init(new SecretKeySpec(key, jcaName));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(jcaName + " unavailable", e);
        }
    }
}
