package io.p2sgw.pki;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAKey;

/** Small key helpers. */
public final class Keys {
    private static final byte[] PROBE = "p2sgw key match probe".getBytes(StandardCharsets.US_ASCII);

    private Keys() {
    }

    /** True when the private key belongs to the public key (sign and verify a probe). */
    public static boolean matches(PrivateKey privateKey, PublicKey publicKey) {
        try {
            String alg = signatureAlgorithmFor(publicKey);
            Signature s = Signature.getInstance(alg);
            s.initSign(privateKey);
            s.update(PROBE);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(alg);
            v.initVerify(publicKey);
            v.update(PROBE);
            return v.verify(sig);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** The signature algorithm used to sign with a key of this kind (SHA-384 for P-384 and larger). */
    public static String signatureAlgorithmFor(java.security.Key key) {
        if (key instanceof RSAKey) {
            return "SHA256withRSA";
        }
        if (key instanceof ECKey ec) {
            int bits = ec.getParams().getOrder().bitLength();
            return bits > 256 ? "SHA384withECDSA" : "SHA256withECDSA";
        }
        return switch (key.getAlgorithm()) {
            case "Ed25519", "EdDSA" -> "Ed25519";
            case "Ed448" -> "Ed448";
            default -> throw new PkiException("unsupported key algorithm " + key.getAlgorithm());
        };
    }

    /** A short human description such as "RSA 2048" or "EC P-256". */
    public static String describe(PublicKey key) {
        if (key instanceof RSAKey rsa) {
            return "RSA " + rsa.getModulus().bitLength();
        }
        if (key instanceof ECPublicKey ec) {
            return "EC P-" + ec.getParams().getOrder().bitLength();
        }
        return key.getAlgorithm();
    }
}
