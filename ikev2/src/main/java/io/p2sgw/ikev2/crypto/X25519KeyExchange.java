package io.p2sgw.ikev2.crypto;

import io.p2sgw.ikev2.wire.IkeException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.XECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPublicKeySpec;
import javax.crypto.KeyAgreement;

/**
 * Curve25519 (RFC 8031, RFC 7748) with JCA "X25519": public values and the shared secret are 32 raw little-endian
 * bytes; an all-zero shared secret (a small-order peer value) is refused (RFC 8031 §2.3).
 */
final class X25519KeyExchange implements KeyExchange {
    static final int LENGTH = 32;

    private final KeyPair pair;

    X25519KeyExchange(KeyPair pair) {
        this.pair = pair;
    }

    static X25519KeyExchange generate(SecureRandom random) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("X25519");
            g.initialize(NamedParameterSpec.X25519, random);
            return new X25519KeyExchange(g.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("X25519 unavailable", e);
        }
    }

    /** Little-endian u to BigInteger, masking the top bit as RFC 7748 §5 requires of receivers. */
    static BigInteger decodeU(byte[] le) {
        byte[] be = new byte[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            be[i] = le[LENGTH - 1 - i];
        }
        be[0] &= 0x7F;
        return new BigInteger(1, be);
    }

    static byte[] encodeU(BigInteger u) {
        byte[] be = DhGroup.fixedLength(u, LENGTH);
        byte[] le = new byte[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            le[i] = be[LENGTH - 1 - i];
        }
        return le;
    }

    static PublicKey publicKey(byte[] le) throws GeneralSecurityException {
        return KeyFactory.getInstance("X25519").generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519,
                decodeU(le)));
    }

    @Override
    public DhGroup group() {
        return DhGroup.CURVE25519;
    }

    @Override
    public byte[] publicValue() {
        return encodeU(((XECPublicKey) pair.getPublic()).getU());
    }

    @Override
    public byte[] sharedSecret(byte[] peer) {
        if (peer.length != LENGTH) {
            throw IkeException.syntax("Curve25519 KE data of " + peer.length + " bytes");
        }
        byte[] secret;
        try {
            KeyAgreement ka = KeyAgreement.getInstance("X25519");
            ka.init(pair.getPrivate());
            ka.doPhase(publicKey(peer), true);
            secret = ka.generateSecret();
        } catch (GeneralSecurityException e) {
            // The JDK refuses small-order points itself ("Point has small order").
            throw IkeException.syntax("Curve25519 key agreement failed: " + e.getMessage());
        }
        int acc = 0;
        for (byte b : secret) {
            acc |= b;
        }
        if (acc == 0) {
            throw IkeException.syntax("Curve25519 shared secret is zero");
        }
        return secret;
    }
}
