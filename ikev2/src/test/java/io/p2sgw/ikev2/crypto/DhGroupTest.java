package io.p2sgw.ikev2.crypto;

import static io.p2sgw.ikev2.crypto.CryptoVectors.ALICE_PRIVATE;
import static io.p2sgw.ikev2.crypto.CryptoVectors.ALICE_PUBLIC;
import static io.p2sgw.ikev2.crypto.CryptoVectors.BOB_PUBLIC;
import static io.p2sgw.ikev2.crypto.CryptoVectors.SHARED;
import static io.p2sgw.ikev2.crypto.CryptoVectors.big;
import static io.p2sgw.ikev2.crypto.CryptoVectors.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.p2sgw.ikev2.wire.IkeException;
import io.p2sgw.ikev2.wire.NotifyType;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import javax.crypto.interfaces.DHPublicKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Known answers for the DH groups (RFC 7748 §6.1, RFC 5903 §8.1), encodings, and refusal of bad peer values. */
class DhGroupTest {
    static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void x25519Rfc7748Vector() throws Exception {
        KeyExchange alice = DhGroup.CURVE25519.fromKeyPair(CryptoVectors.x25519(ALICE_PRIVATE, ALICE_PUBLIC));
        assertArrayEquals(ALICE_PUBLIC, alice.publicValue());
        assertArrayEquals(SHARED, alice.sharedSecret(BOB_PUBLIC));
    }

    @Test
    void x25519RefusesTheZeroPointAndWrongLengths() throws Exception {
        KeyExchange alice = DhGroup.CURVE25519.fromKeyPair(CryptoVectors.x25519(ALICE_PRIVATE, ALICE_PUBLIC));
        assertEquals(NotifyType.INVALID_SYNTAX,
                assertThrows(IkeException.class, () -> alice.sharedSecret(new byte[32])).notifyType());
        // u = 1 has small order too (RFC 7748 §6.1 "check for the all-zero value").
        byte[] one = new byte[32];
        one[0] = 1;
        assertThrows(IkeException.class, () -> alice.sharedSecret(one));
        assertThrows(IkeException.class, () -> alice.sharedSecret(new byte[31]));
    }

    /** RFC 5903 §8.1: ECP-256 with i, g^i, r, g^r and g^ir = the x coordinate only. */
    @Test
    void ecp256Rfc5903Vector() throws Exception {
        ECParameterSpec p = EcpKeyExchange.params(DhGroup.ECP_256);
        BigInteger i = big("C88F01F510D9AC3F70A292DAA2316DE544E9AAB8AFE84049C62A9C57862D1433");
        BigInteger gix = big("DAD0B65394221CF9B051E1FECA5787D098DFE637FC90B9EF945D0C3772581180");
        BigInteger giy = big("5271A0461CDB8252D61F1C456FA3E59AB1F45B33ACCF5F58389E0577B8990BB3");
        String grx = "D12DFB5289C8D4F81208B70270398C342296970A0BCCB74C736FC7554494BF63";
        String gry = "56FBF3CA366CC23E8157854C13C58D6AAC23F046ADA30F8353E74F33039872AB";
        KeyFactory f = KeyFactory.getInstance("EC");
        KeyPair pair = new KeyPair(f.generatePublic(new ECPublicKeySpec(new ECPoint(gix, giy), p)),
                f.generatePrivate(new ECPrivateKeySpec(i, p)));
        KeyExchange ke = DhGroup.ECP_256.fromKeyPair(pair);
        assertArrayEquals(hex("DAD0B65394221CF9B051E1FECA5787D098DFE637FC90B9EF945D0C3772581180"
                + "5271A0461CDB8252D61F1C456FA3E59AB1F45B33ACCF5F58389E0577B8990BB3"), ke.publicValue());
        assertArrayEquals(hex("D6840F6B42F6EDAFD13116E0E12565202FEF8E9ECE7DCE03812464D04B9442DE"),
                ke.sharedSecret(hex(grx + gry)));
        // A point off the curve (y + 1), coordinates ≥ p, and the wrong length.
        byte[] off = hex(grx + gry);
        off[63]++;
        assertThrows(IkeException.class, () -> ke.sharedSecret(off));
        byte[] ff = new byte[64];
        Arrays.fill(ff, (byte) 0xFF);
        assertThrows(IkeException.class, () -> ke.sharedSecret(ff));
        assertThrows(IkeException.class, () -> ke.sharedSecret(hex(grx)));
    }

    /** Both sides of every group agree, with fixed-length encodings (ikev2.md §1.4, pitfall §10.6). */
    @ParameterizedTest
    @EnumSource(DhGroup.class)
    void twoPartiesAgree(DhGroup group) {
        KeyExchange a = group.newKeyExchange(RANDOM);
        KeyExchange b = group.newKeyExchange(RANDOM);
        assertEquals(group.publicValueLength(), a.publicValue().length);
        byte[] s = a.sharedSecret(b.publicValue());
        assertArrayEquals(s, b.sharedSecret(a.publicValue()));
        int expected = switch (group) {
            case ECP_256 -> 32;
            case ECP_384 -> 48;
            case ECP_521 -> 66;
            default -> group.publicValueLength();
        };
        assertEquals(expected, s.length);
        assertThrows(IkeException.class, () -> a.sharedSecret(new byte[group.publicValueLength() + 1]));
    }

    @ParameterizedTest
    @EnumSource(value = DhGroup.class, names = {"MODP_1024", "MODP_2048", "MODP_2048_256"})
    void modpRefusesDegeneratePublicValues(DhGroup group) {
        KeyExchange a = group.newKeyExchange(RANDOM);
        BigInteger p = ModpKeyExchange.params(group).getP();
        for (BigInteger y : new BigInteger[] {BigInteger.ZERO, BigInteger.ONE, p.subtract(BigInteger.ONE), p}) {
            assertThrows(IkeException.class,
                    () -> a.sharedSecret(DhGroup.fixedLength(y, group.publicValueLength())), y.toString());
        }
    }

    @Test
    void group24RefusesValuesOutsideTheSubgroup() {
        KeyExchange a = DhGroup.MODP_2048_256.newKeyExchange(RANDOM);
        // 2 is in [2, p-2] but not in the order-q subgroup of RFC 5114 §2.3 (RFC 6989 §2.2).
        assertThrows(IkeException.class, () -> a.sharedSecret(DhGroup.fixedLength(BigInteger.TWO, 256)));
        assertEquals(BigInteger.ONE, ModpKeyExchange.G_2048_256.modPow(ModpKeyExchange.Q_2048_256,
                ModpKeyExchange.P_2048_256));
        assertEquals(256, ModpKeyExchange.Q_2048_256.bitLength());
    }

    /**
     * The MODP primes of groups 2 and 14 equal the RFC 2409 / RFC 3526 primes that the JDK carries for 1024- and
     * 2048-bit DH (sun.security.provider.ParameterCache); group 24's prime is prime and of 2048 bits.
     */
    @Test
    void modpPrimesMatchTheJdksCopies() throws Exception {
        for (int bits : new int[] {1024, 2048}) {
            KeyPairGenerator g = KeyPairGenerator.getInstance("DH");
            g.initialize(bits);
            BigInteger jdk = ((DHPublicKey) g.generateKeyPair().getPublic()).getParams().getP();
            assertEquals(jdk, bits == 1024 ? ModpKeyExchange.P_1024 : ModpKeyExchange.P_2048);
        }
        assertEquals(2048, ModpKeyExchange.P_2048_256.bitLength());
        assertEquals(true, ModpKeyExchange.P_2048_256.isProbablePrime(64));
        assertEquals(BigInteger.ZERO,
                ModpKeyExchange.P_2048_256.subtract(BigInteger.ONE).mod(ModpKeyExchange.Q_2048_256));
    }

    @Test
    void fixedLengthPadsAndTrims() {
        assertArrayEquals(hex("0000ff"), DhGroup.fixedLength(BigInteger.valueOf(255), 3));
        // toByteArray() of 0xff.. has a sign byte, which must go.
        assertArrayEquals(hex("ffff"), DhGroup.fixedLength(BigInteger.valueOf(0xFFFF), 2));
    }
}
