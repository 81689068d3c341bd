package io.p2sgw.ikev2.crypto;

import io.p2sgw.ikev2.wire.IkeException;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import javax.crypto.KeyAgreement;

/**
 * ECDH over the NIST prime curves (RFC 5903): the KE data is x‖y, each padded to the field size, with no 0x04
 * prefix (§7); the shared secret is the x coordinate only (§7, errata 9, as RFC 5903's test vectors show).
 */
final class EcpKeyExchange implements KeyExchange {
    /**
     * The curves' parameters, looked up once: they are constants, and a per-handshake {@code AlgorithmParameters}
     * look-up (provider search, curve table, a parameter object) is work a responder does for every IKE_SA_INIT.
     */
    private static final ECParameterSpec P256 = lookUp(DhGroup.ECP_256);
    private static final ECParameterSpec P384 = lookUp(DhGroup.ECP_384);
    private static final ECParameterSpec P521 = lookUp(DhGroup.ECP_521);

    private final DhGroup group;
    private final KeyPair pair;
    private final ECParameterSpec params;

    EcpKeyExchange(DhGroup group, KeyPair pair) {
        this.group = group;
        this.pair = pair;
        this.params = params(group);
    }

    static String curveName(DhGroup group) {
        return switch (group) {
            case ECP_256 -> "secp256r1";
            case ECP_384 -> "secp384r1";
            case ECP_521 -> "secp521r1";
            default -> throw new IllegalArgumentException(group + " is not an ECP group");
        };
    }

    static ECParameterSpec params(DhGroup group) {
        return switch (group) {
            case ECP_256 -> P256;
            case ECP_384 -> P384;
            case ECP_521 -> P521;
            default -> throw new IllegalArgumentException(group + " is not an ECP group");
        };
    }

    private static ECParameterSpec lookUp(DhGroup group) {
        try {
            AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
            p.init(new ECGenParameterSpec(curveName(group)));
            return p.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC unavailable", e);
        }
    }

    static EcpKeyExchange generate(DhGroup group, SecureRandom random) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec(curveName(group)), random);
            return new EcpKeyExchange(group, g.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC unavailable", e);
        }
    }

    private int coordinateLength() {
        return group.publicValueLength() / 2;
    }

    @Override
    public DhGroup group() {
        return group;
    }

    @Override
    public byte[] publicValue() {
        ECPoint w = ((ECPublicKey) pair.getPublic()).getW();
        int n = coordinateLength();
        byte[] out = new byte[2 * n];
        System.arraycopy(DhGroup.fixedLength(w.getAffineX(), n), 0, out, 0, n);
        System.arraycopy(DhGroup.fixedLength(w.getAffineY(), n), 0, out, n, n);
        return out;
    }

    @Override
    public byte[] sharedSecret(byte[] peer) {
        int n = coordinateLength();
        if (peer.length != 2 * n) {
            throw IkeException.syntax(group + " KE data of " + peer.length + " bytes");
        }
        BigInteger x = new BigInteger(1, Arrays.copyOfRange(peer, 0, n));
        BigInteger y = new BigInteger(1, Arrays.copyOfRange(peer, n, 2 * n));
        if (!onCurve(x, y)) {
            throw IkeException.syntax(group + " public value is not on the curve");
        }
        try {
            PublicKey peerKey = KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(x, y),
                    params));
            KeyAgreement ka = KeyAgreement.getInstance("ECDH");
            ka.init(pair.getPrivate());
            ka.doPhase(peerKey, true);
            return DhGroup.fixedLength(new BigInteger(1, ka.generateSecret()), n);
        } catch (GeneralSecurityException e) {
            throw IkeException.syntax(group + " key agreement failed: " + e.getMessage());
        }
    }

    /** RFC 6989 §2.3: both coordinates in [0, p) and y² = x³ + ax + b (mod p); the point at infinity has no x‖y. */
    private boolean onCurve(BigInteger x, BigInteger y) {
        BigInteger p = ((ECFieldFp) params.getCurve().getField()).getP();
        if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
            return false;
        }
        BigInteger lhs = y.multiply(y).mod(p);
        BigInteger rhs = x.multiply(x).multiply(x).add(params.getCurve().getA().multiply(x)).add(params.getCurve().getB()).mod(p);
        return lhs.equals(rhs);
    }
}
