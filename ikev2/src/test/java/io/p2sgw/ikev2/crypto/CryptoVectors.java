package io.p2sgw.ikev2.crypto;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.HexFormat;

/**
 * Shared inputs of the crypto tests: RFC 7748 §6.1's X25519 key pairs (initiator = Alice, responder = Bob), nonces
 * 00..1f and 20..3f, SPIs 0102..08 and 1112..18. Expected outputs come from
 * {@code src/test/resources/io/p2sgw/ikev2/crypto/independent_vectors.py}, written from the RFCs alone.
 */
final class CryptoVectors {
    static final HexFormat HEX = HexFormat.of();
    static final byte[] ALICE_PRIVATE = hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
    static final byte[] ALICE_PUBLIC = hex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
    static final byte[] BOB_PRIVATE = hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
    static final byte[] BOB_PUBLIC = hex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
    static final byte[] SHARED = hex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
    static final byte[] NI = range(0x00, 0x20);
    static final byte[] NR = range(0x20, 0x40);
    static final long SPI_I = 0x0102030405060708L;
    static final long SPI_R = 0x1112131415161718L;

    private CryptoVectors() {}

    static byte[] hex(String s) {
        return HEX.parseHex(s.replace(" ", ""));
    }

    static byte[] range(int from, int to) {
        byte[] b = new byte[to - from];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (from + i);
        }
        return b;
    }

    static KeyPair x25519(byte[] privateScalar, byte[] publicLe) throws GeneralSecurityException {
        KeyFactory f = KeyFactory.getInstance("X25519");
        return new KeyPair(
                f.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, X25519KeyExchange.decodeU(publicLe))),
                f.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, privateScalar)));
    }

    static BigInteger big(String hex) {
        return new BigInteger(hex.replace(" ", ""), 16);
    }
}
