package io.p2sgw.ikev2.crypto;

import static io.p2sgw.ikev2.crypto.CryptoVectors.HEX;
import static io.p2sgw.ikev2.crypto.CryptoVectors.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.ikev2.wire.AuthPayload;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * AUTH octets (RFC 7296 §2.15) and the certificate AUTH methods 1, 9-11 and 14 (RFC 4754, RFC 7427), with the
 * AlgorithmIdentifier bytes ikev2.md §1.12 lists (strongSwan's sha256WithRSAEncryption blob was seen on the wire).
 */
class AuthSignaturesTest {
    static KeyPair rsa;
    static KeyPair p256;
    static KeyPair p384;
    static KeyPair p521;
    static final byte[] OCTETS = "RealMessage2 | Ni | prf(SK_pr, IDr')".getBytes(StandardCharsets.US_ASCII);

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator r = KeyPairGenerator.getInstance("RSA");
        r.initialize(2048);
        rsa = r.generateKeyPair();
        p256 = ec("secp256r1");
        p384 = ec("secp384r1");
        p521 = ec("secp521r1");
    }

    static KeyPair ec(String curve) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec(curve));
        return g.generateKeyPair();
    }

    @Test
    void octetsAreMessageNonceAndPrfOfTheIdBody() {
        byte[] idBody = hex("09000000 3012311030 0e06035504030c07" + HEX.formatHex("client1".getBytes()));
        byte[] skPi = KeyDerivationTest.keysA().skPi();
        byte[] o = AuthSignatures.octets(hex("aabbcc"), hex("0102"), PrfAlgorithm.HMAC_SHA2_256, skPi, idBody);
        // HMAC-SHA256(SK_pi, IDi') computed independently (Python hmac) for suite A's SK_pi.
        assertEquals("aabbcc0102" + "1cc5b2c73f5a47e8cdba358ecab995b64e9c129547c53cc7fc8505930187fd43",
                HEX.formatHex(o));
    }

    @Test
    void algorithmIdentifiersAsListedInTheSpec() {
        // ikev2.md §1.12: the length byte followed by the blob.
        assertEquals("0f300d06092a864886f70d01010b0500", lengthPrefixed(SignatureAlgorithm.RSA_SHA256));
        assertEquals("0f300d06092a864886f70d01010c0500", lengthPrefixed(SignatureAlgorithm.RSA_SHA384));
        assertEquals("0f300d06092a864886f70d01010d0500", lengthPrefixed(SignatureAlgorithm.RSA_SHA512));
        assertEquals("0f300d06092a864886f70d0101050500", lengthPrefixed(SignatureAlgorithm.RSA_SHA1));
        assertEquals("0c300a06082a8648ce3d040302", lengthPrefixed(SignatureAlgorithm.ECDSA_SHA256));
        assertEquals("0c300a06082a8648ce3d040303", lengthPrefixed(SignatureAlgorithm.ECDSA_SHA384));
        assertEquals("0c300a06082a8648ce3d040304", lengthPrefixed(SignatureAlgorithm.ECDSA_SHA512));
    }

    static String lengthPrefixed(SignatureAlgorithm a) {
        return String.format("%02x", a.algorithmIdentifier().length) + HEX.formatHex(a.algorithmIdentifier());
    }

    @Test
    void method14WithStrongSwansHashListUsesSha256() {
        AuthPayload a = AuthSignatures.sign(rsa.getPrivate(), new int[] {2, 3, 4, 5}, OCTETS);
        assertEquals(AuthPayload.DIGITAL_SIGNATURE, a.method());
        assertEquals("0f300d06092a864886f70d01010b0500", HEX.formatHex(Arrays.copyOf(a.data(), 16)));
        assertEquals(16 + 256, a.data().length);
        assertEquals(Optional.of("SHA256withRSA"), AuthSignatures.verify(rsa.getPublic(), a, OCTETS));
        // A client listing only SHA2-512 gets SHA2-512.
        AuthPayload b = AuthSignatures.sign(rsa.getPrivate(), new int[] {4}, OCTETS);
        assertEquals(Optional.of("SHA512withRSA"), AuthSignatures.verify(rsa.getPublic(), b, OCTETS));
    }

    @Test
    void method14VerifiesASignatureMadeByPlainJca() throws Exception {
        // The peer's signature produced outside our code: length byte, blob, SHA256withRSA over the octets.
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(rsa.getPrivate());
        s.update(OCTETS);
        byte[] data = hex("0f300d06092a864886f70d01010b0500" + HEX.formatHex(s.sign()));
        assertTrue(AuthSignatures.verify(rsa.getPublic(), new AuthPayload(14, data), OCTETS).isPresent());
    }

    @Test
    void withoutHashListRsaUsesMethod1AndEcdsaMethods9To11() {
        AuthPayload a = AuthSignatures.sign(rsa.getPrivate(), new int[0], OCTETS);
        assertEquals(AuthPayload.RSA_SIGNATURE, a.method());
        assertEquals(256, a.data().length);
        assertEquals(Optional.of("SHA1withRSA"), AuthSignatures.verify(rsa.getPublic(), a, OCTETS));
        // SHA-1 alone (id 1) in the list is not good enough for method 14 from us.
        assertEquals(AuthPayload.RSA_SIGNATURE,
                AuthSignatures.sign(rsa.getPrivate(), new int[] {1}, OCTETS).method());
        int[][] expect = {{9, 64}, {10, 96}, {11, 132}};
        KeyPair[] pairs = {p256, p384, p521};
        for (int i = 0; i < 3; i++) {
            AuthPayload e = AuthSignatures.sign(pairs[i].getPrivate(), new int[0], OCTETS);
            assertEquals(expect[i][0], e.method());
            // RFC 4754: r‖s at fixed length, not DER.
            assertEquals(expect[i][1], e.data().length);
            assertTrue(AuthSignatures.verify(pairs[i].getPublic(), e, OCTETS).isPresent());
        }
    }

    @Test
    void ecdsaUnderMethod14IsDer() {
        AuthPayload a = AuthSignatures.sign(p256.getPrivate(), new int[] {2}, OCTETS);
        assertEquals(14, a.method());
        assertEquals("0c300a06082a8648ce3d040302", HEX.formatHex(Arrays.copyOf(a.data(), 13)));
        assertEquals(0x30, a.data()[13] & 0xFF, "a DER SEQUENCE, not r‖s");
        assertEquals(Optional.of("SHA256withECDSA"), AuthSignatures.verify(p256.getPublic(), a, OCTETS));
    }

    @Test
    void failures() {
        AuthPayload good = AuthSignatures.sign(rsa.getPrivate(), new int[] {2}, OCTETS);
        byte[] other = OCTETS.clone();
        other[0] ^= 1;
        assertTrue(AuthSignatures.verify(rsa.getPublic(), good, other).isEmpty(), "other octets");
        assertTrue(AuthSignatures.verify(p256.getPublic(), good, OCTETS).isEmpty(), "RSA algorithm, EC key");
        byte[] unknownAlg = good.data();
        unknownAlg[5] ^= 1;
        assertTrue(AuthSignatures.verify(rsa.getPublic(), new AuthPayload(14, unknownAlg), OCTETS).isEmpty());
        assertTrue(AuthSignatures.verify(rsa.getPublic(), new AuthPayload(14, hex("ff00")), OCTETS).isEmpty());
        // Method 9 with a P-384 key: curve and method must agree (RFC 4754).
        AuthPayload m10 = AuthSignatures.sign(p384.getPrivate(), new int[0], OCTETS);
        assertTrue(AuthSignatures.verify(p384.getPublic(), new AuthPayload(9, m10.data()), OCTETS).isEmpty());
        // Method 2 (shared key) and garbage signatures.
        assertTrue(AuthSignatures.verify(rsa.getPublic(), new AuthPayload(2, hex("00")), OCTETS).isEmpty());
        assertTrue(AuthSignatures.verify(rsa.getPublic(), new AuthPayload(1, hex("0102")), OCTETS).isEmpty());
        assertTrue(AuthSignatures.verify(p256.getPublic(), new AuthPayload(9, new byte[64]), OCTETS).isEmpty());
        assertArrayEquals(good.data(), AuthSignatures.sign(rsa.getPrivate(), new int[] {2}, OCTETS).data(),
                "PKCS#1 v1.5 is deterministic");
    }
}
