package io.p2sgw.ikev2.crypto;

import io.p2sgw.ikev2.wire.AuthPayload;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.util.Arrays;
import java.util.Optional;

/**
 * The signed octets of IKE_AUTH (RFC 7296 §2.15; ikev2.md §3.4) and the AUTH methods of certificate authentication:
 * 1 (RSA PKCS#1 v1.5 over SHA-1), 9/10/11 (ECDSA P-256/384/521 with SHA-256/384/512, r‖s of fixed length, RFC 4754)
 * and 14 (RFC 7427: length byte, AlgorithmIdentifier, signature; ECDSA as DER). Pitfalls §10.4 and §10.5.
 */
public final class AuthSignatures {
    /** RFC 7427 §3: the AlgorithmIdentifier length is one byte. */
    static final int MAX_ALGORITHM_IDENTIFIER = 0xFF;

    private AuthSignatures() {}

    /**
     * The octets one side signs: its own IKE_SA_INIT message as sent (RealMessage1 for the initiator, RealMessage2 for
     * the responder), the other side's nonce data, and prf(SK_p, ID') with SK_pi for the initiator's IDi and SK_pr
     * for the responder's IDr; ID' is the ID payload body from the ID Type byte on.
     */
    public static byte[] octets(byte[] ownInitMessage, byte[] peerNonce, PrfAlgorithm prf, byte[] skP,
            byte[] idBody) {
        byte[] macedId = prf.prf(skP, idBody);
        byte[] out = Arrays.copyOf(ownInitMessage, ownInitMessage.length + peerNonce.length + macedId.length);
        System.arraycopy(peerNonce, 0, out, ownInitMessage.length, peerNonce.length);
        System.arraycopy(macedId, 0, out, ownInitMessage.length + peerNonce.length, macedId.length);
        return out;
    }

    /**
     * Signs as a responder would choose (RFC 7427 §4; ikev2.md §2.3 step 7): method 14 with the first of SHA2-256,
     * SHA2-384, SHA2-512 the peer listed in SIGNATURE_HASH_ALGORITHMS; without a usable list, method 1 for RSA keys
     * and 9/10/11 (by curve) for ECDSA keys.
     */
    public static AuthPayload sign(PrivateKey key, int[] peerHashIds, byte[] octets) {
        boolean ecdsa = key instanceof ECKey;
        if (!ecdsa && !(key instanceof RSAKey)) {
            throw new IllegalArgumentException("AUTH keys are RSA or ECDSA, not " + key.getAlgorithm());
        }
        for (int wanted : new int[] {2, 3, 4}) {
            for (int id : peerHashIds) {
                if (id == wanted) {
                    return signDigitalSignature(key, SignatureAlgorithm.of(ecdsa, id).orElseThrow(), octets);
                }
            }
        }
        if (!ecdsa) {
            return new AuthPayload(AuthPayload.RSA_SIGNATURE, rawSign("SHA1withRSA", key, octets));
        }
        int method = ecdsaMethod(((ECKey) key).getParams().getCurve().getField().getFieldSize());
        return new AuthPayload(method, rawSign(ecdsaP1363(method), key, octets));
    }

    /** Method 14 with an explicit algorithm. */
    public static AuthPayload signDigitalSignature(PrivateKey key, SignatureAlgorithm alg, byte[] octets) {
        byte[] algId = alg.algorithmIdentifier();
        byte[] sig = rawSign(alg.jcaName(), key, octets);
        byte[] data = new byte[1 + algId.length + sig.length];
        data[0] = (byte) algId.length;
        System.arraycopy(algId, 0, data, 1, algId.length);
        System.arraycopy(sig, 0, data, 1 + algId.length, sig.length);
        return new AuthPayload(AuthPayload.DIGITAL_SIGNATURE, data);
    }

    /**
     * Verifies {@code auth} over {@code octets} with the peer certificate's key. Returns the algorithm used, or empty
     * when the method, the algorithm, the key type or the signature does not fit (the caller answers
     * AUTHENTICATION_FAILED and logs why, RFC 7296 §2.21.2).
     */
    public static Optional<String> verify(PublicKey key, AuthPayload auth, byte[] octets) {
        byte[] data = auth.data();
        boolean ecKey = key instanceof ECKey;
        switch (auth.method()) {
            case AuthPayload.RSA_SIGNATURE -> {
                return !ecKey && rawVerify("SHA1withRSA", key, octets, data) ? Optional.of("SHA1withRSA")
                        : Optional.empty();
            }
            case AuthPayload.ECDSA_SHA256_P256, AuthPayload.ECDSA_SHA384_P384, AuthPayload.ECDSA_SHA512_P521 -> {
                if (!ecKey || ecdsaMethod(((ECKey) key).getParams().getCurve().getField().getFieldSize())
                        != auth.method()) {
                    return Optional.empty();
                }
                String jca = ecdsaP1363(auth.method());
                return rawVerify(jca, key, octets, data) ? Optional.of(jca) : Optional.empty();
            }
            case AuthPayload.DIGITAL_SIGNATURE -> {
                int l = data[0] & 0xFF;
                if (data.length < 1 + l + 1) {
                    return Optional.empty();
                }
                Optional<SignatureAlgorithm> alg =
                        SignatureAlgorithm.ofAlgorithmIdentifier(Arrays.copyOfRange(data, 1, 1 + l));
                if (alg.isEmpty() || alg.get().isEcdsa() != ecKey) {
                    return Optional.empty();
                }
                byte[] sig = Arrays.copyOfRange(data, 1 + l, data.length);
                return rawVerify(alg.get().jcaName(), key, octets, sig) ? Optional.of(alg.get().jcaName())
                        : Optional.empty();
            }
            default -> {
                return Optional.empty();
            }
        }
    }

    /** RFC 4754 §3 binds curve and hash: P-256/SHA-256 = 9, P-384/SHA-384 = 10, P-521/SHA-512 = 11. */
    static int ecdsaMethod(int fieldBits) {
        return switch (fieldBits) {
            case 256 -> AuthPayload.ECDSA_SHA256_P256;
            case 384 -> AuthPayload.ECDSA_SHA384_P384;
            case 521 -> AuthPayload.ECDSA_SHA512_P521;
            default -> throw new IllegalArgumentException("no RFC 4754 method for a " + fieldBits + "-bit curve");
        };
    }

    /** The JCA names that give r‖s (IEEE P1363) instead of DER (pitfall §10.5). */
    static String ecdsaP1363(int method) {
        return switch (method) {
            case AuthPayload.ECDSA_SHA256_P256 -> "SHA256withECDSAinP1363Format";
            case AuthPayload.ECDSA_SHA384_P384 -> "SHA384withECDSAinP1363Format";
            case AuthPayload.ECDSA_SHA512_P521 -> "SHA512withECDSAinP1363Format";
            default -> throw new IllegalArgumentException("method " + method);
        };
    }

    private static byte[] rawSign(String jca, PrivateKey key, byte[] octets) {
        try {
            Signature s = Signature.getInstance(jca);
            s.initSign(key);
            s.update(octets);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(jca + " signing failed", e);
        }
    }

    private static boolean rawVerify(String jca, PublicKey key, byte[] octets, byte[] sig) {
        try {
            Signature s = Signature.getInstance(jca);
            s.initVerify(key);
            s.update(octets);
            return s.verify(sig);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // A malformed signature (bad DER, wrong length) is a failed verification, not an error of ours.
            return false;
        }
    }
}
