package io.p2sgw.ikev2.crypto;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.Optional;

/**
 * The Diffie-Hellman groups of our policy (ikev2.md §2.4): Azure's 2 (legacy Windows, behind a switch), 14, 24, 19,
 * 20 and strongSwan's default 31, plus 21. Ids are IANA "Transform Type 4"; {@code publicValueLength} is the fixed KE
 * data length (RFC 7296 §3.4, RFC 5903 §7, RFC 8031 §2). All via JCA.
 */
public enum DhGroup {
    /** RFC 2409 §6.2, Oakley group 2. Weak; only Windows' out-of-the-box offer needs it. */
    MODP_1024(2, 128),
    /** RFC 3526 §3. */
    MODP_2048(14, 256),
    /** RFC 5114 §2.3, 2048-bit MODP with a 256-bit prime-order subgroup (Azure's "DHGroup24"). */
    MODP_2048_256(24, 256),
    /** RFC 5903 ECP groups, x‖y on the wire. */
    ECP_256(19, 64),
    ECP_384(20, 96),
    ECP_521(21, 132),
    /** RFC 8031. */
    CURVE25519(31, 32);

    private final int transformId;
    private final int publicValueLength;

    DhGroup(int transformId, int publicValueLength) {
        this.transformId = transformId;
        this.publicValueLength = publicValueLength;
    }

    public static Optional<DhGroup> of(int transformId) {
        for (DhGroup g : values()) {
            if (g.transformId == transformId) {
                return Optional.of(g);
            }
        }
        return Optional.empty();
    }

    public int transformId() {
        return transformId;
    }

    public int publicValueLength() {
        return publicValueLength;
    }

    /** A fresh key pair in this group. */
    public KeyExchange newKeyExchange(SecureRandom random) {
        return switch (this) {
            case MODP_1024, MODP_2048, MODP_2048_256 -> ModpKeyExchange.generate(this, random);
            case ECP_256, ECP_384, ECP_521 -> EcpKeyExchange.generate(this, random);
            case CURVE25519 -> X25519KeyExchange.generate(random);
        };
    }

    /** Our side from an existing JCA key pair of this group (known-answer tests, stored state). */
    public KeyExchange fromKeyPair(KeyPair pair) {
        return switch (this) {
            case MODP_1024, MODP_2048, MODP_2048_256 -> new ModpKeyExchange(this, pair);
            case ECP_256, ECP_384, ECP_521 -> new EcpKeyExchange(this, pair);
            case CURVE25519 -> new X25519KeyExchange(pair);
        };
    }

    /** Unsigned big-endian bytes of {@code v}, left-padded (or trimmed of a sign byte) to {@code length}. */
    static byte[] fixedLength(BigInteger v, int length) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[length];
        int copy = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - copy, out, length - copy, copy);
        return out;
    }
}
