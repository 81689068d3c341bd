package io.p2sgw.ikev2.crypto;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Signature algorithms for AUTH method 14 (RFC 7427 §3, Appendix A): each with the DER AlgorithmIdentifier that goes
 * on the wire (RSA with explicit NULL parameters, ECDSA with none, as strongSwan builds them; ikev2.md §1.12), its
 * RFC 7427 hash id (the SIGNATURE_HASH_ALGORITHMS values) and its JCA name. ECDSA signatures under method 14 are DER.
 */
public enum SignatureAlgorithm {
    RSA_SHA1("300d06092a864886f70d0101050500", 1, "SHA1withRSA", false),
    RSA_SHA256("300d06092a864886f70d01010b0500", 2, "SHA256withRSA", false),
    RSA_SHA384("300d06092a864886f70d01010c0500", 3, "SHA384withRSA", false),
    RSA_SHA512("300d06092a864886f70d01010d0500", 4, "SHA512withRSA", false),
    ECDSA_SHA256("300a06082a8648ce3d040302", 2, "SHA256withECDSA", true),
    ECDSA_SHA384("300a06082a8648ce3d040303", 3, "SHA384withECDSA", true),
    ECDSA_SHA512("300a06082a8648ce3d040304", 4, "SHA512withECDSA", true);

    private final byte[] algorithmIdentifier;
    private final int hashId;
    private final String jcaName;
    private final boolean ecdsa;

    SignatureAlgorithm(String algorithmIdentifierHex, int hashId, String jcaName, boolean ecdsa) {
        this.algorithmIdentifier = HexFormat.of().parseHex(algorithmIdentifierHex);
        this.hashId = hashId;
        this.jcaName = jcaName;
        this.ecdsa = ecdsa;
    }

    /** The DER AlgorithmIdentifier (without the length byte that precedes it in the AUTH data). */
    public byte[] algorithmIdentifier() {
        return algorithmIdentifier.clone();
    }

    /** RFC 7427 §7 hash algorithm id: 1 SHA-1, 2 SHA2-256, 3 SHA2-384, 4 SHA2-512. */
    public int hashId() {
        return hashId;
    }

    public String jcaName() {
        return jcaName;
    }

    public boolean isEcdsa() {
        return ecdsa;
    }

    public static Optional<SignatureAlgorithm> ofAlgorithmIdentifier(byte[] der) {
        for (SignatureAlgorithm a : values()) {
            if (Arrays.equals(a.algorithmIdentifier, der)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    public static Optional<SignatureAlgorithm> of(boolean ecdsa, int hashId) {
        for (SignatureAlgorithm a : values()) {
            if (a.ecdsa == ecdsa && a.hashId == hashId) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
