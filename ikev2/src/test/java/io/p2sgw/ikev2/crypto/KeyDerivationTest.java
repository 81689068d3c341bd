package io.p2sgw.ikev2.crypto;

import static io.p2sgw.ikev2.crypto.CryptoVectors.HEX;
import static io.p2sgw.ikev2.crypto.CryptoVectors.NI;
import static io.p2sgw.ikev2.crypto.CryptoVectors.NR;
import static io.p2sgw.ikev2.crypto.CryptoVectors.SHARED;
import static io.p2sgw.ikev2.crypto.CryptoVectors.SPI_I;
import static io.p2sgw.ikev2.crypto.CryptoVectors.SPI_R;
import static io.p2sgw.ikev2.crypto.CryptoVectors.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * PRFs against RFC 4231 / RFC 2202 test case 1, and SKEYSEED, the seven IKE keys and CHILD keys against the values of
 * independent_vectors.py (RFC 7296 §2.13, §2.14, §2.17; the recipe strongSwan 5.9.8 was checked against, ikev2.md §3).
 */
class KeyDerivationTest {
    /** IKE suite A: AES-CBC-128 / HMAC-SHA2-256-128 / PRF-HMAC-SHA2-256 / Curve25519. */
    static final IkeSuite SUITE_A = IkeSuite.classic(EncryptionAlgorithm.AES_CBC_128,
            IntegrityAlgorithm.HMAC_SHA2_256_128, PrfAlgorithm.HMAC_SHA2_256, DhGroup.CURVE25519);
    /** IKE suite B: AES-GCM-16-256 / PRF-HMAC-SHA2-384 / Curve25519. */
    static final IkeSuite SUITE_B =
            IkeSuite.aead(EncryptionAlgorithm.AES_GCM_16_256, PrfAlgorithm.HMAC_SHA2_384, DhGroup.CURVE25519);

    static IkeKeys keysA() {
        return KeyDerivation.ikeKeys(SUITE_A, KeyDerivation.skeyseed(SUITE_A.prf(), NI, NR, SHARED), NI, NR, SPI_I,
                SPI_R);
    }

    static IkeKeys keysB() {
        return KeyDerivation.ikeKeys(SUITE_B, KeyDerivation.skeyseed(SUITE_B.prf(), NI, NR, SHARED), NI, NR, SPI_I,
                SPI_R);
    }

    @Test
    void prfsAgainstRfc4231TestCase1() {
        byte[] key = new byte[20];
        java.util.Arrays.fill(key, (byte) 0x0b);
        byte[] data = "Hi There".getBytes(StandardCharsets.US_ASCII);
        assertEquals("b617318655057264e28bc0b6fb378c8ef146be00", HEX.formatHex(PrfAlgorithm.HMAC_SHA1.prf(key, data)));
        assertEquals("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
                HEX.formatHex(PrfAlgorithm.HMAC_SHA2_256.prf(key, data)));
        assertEquals("afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6",
                HEX.formatHex(PrfAlgorithm.HMAC_SHA2_384.prf(key, data)));
        assertEquals("87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4"
                + "be9d914eeb61f1702e696c203a126854", HEX.formatHex(PrfAlgorithm.HMAC_SHA2_512.prf(key, data)));
        // The same through the split-input form.
        assertArrayEquals(PrfAlgorithm.HMAC_SHA2_256.prf(key, data), PrfAlgorithm.HMAC_SHA2_256.prf(key,
                "Hi ".getBytes(StandardCharsets.US_ASCII), "There".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void prfPlusBlocksAndLimit() {
        byte[] k = hex("00112233");
        byte[] s = hex("aabb");
        byte[] t1 = PrfAlgorithm.HMAC_SHA2_256.prf(k, s, new byte[] {1});
        byte[] t2 = PrfAlgorithm.HMAC_SHA2_256.prf(k, t1, s, new byte[] {2});
        byte[] plus = PrfAlgorithm.HMAC_SHA2_256.prfPlus(k, s, 40);
        assertArrayEquals(t1, java.util.Arrays.copyOf(plus, 32));
        assertArrayEquals(java.util.Arrays.copyOf(t2, 8), java.util.Arrays.copyOfRange(plus, 32, 40));
        assertEquals(255 * 32, PrfAlgorithm.HMAC_SHA2_256.prfPlus(k, s, 255 * 32).length);
        assertThrows(IllegalArgumentException.class, () -> PrfAlgorithm.HMAC_SHA2_256.prfPlus(k, s, 255 * 32 + 1));
    }

    @Test
    void suiteAKeys() {
        assertEquals(192, SUITE_A.keyMaterialLength());
        assertEquals("f9248cca691bd74ddd9479bc6fadb2aeddd0e609fe92fc2d839ca617d1302cb6",
                HEX.formatHex(KeyDerivation.skeyseed(SUITE_A.prf(), NI, NR, SHARED)));
        IkeKeys k = keysA();
        assertEquals("873cd5bd21d5d40481daa8b14d9ba50ba66f0fe9604764695d3714d94667b926", HEX.formatHex(k.skD()));
        assertEquals("9302c66b947c55e0cf4e394c8fb0604c85818e0af336ec66259c2c3ead11d042", HEX.formatHex(k.skAi()));
        assertEquals("b0b6adb1cde3859f71fd5713b11c80630bc6653e6849aac8e0ce3a609f017841", HEX.formatHex(k.skAr()));
        assertEquals("a7f0d605c02db96f721d76bb7099af83", HEX.formatHex(k.skEi()));
        assertEquals("8ea90083fb88845179dfff839f5de7a7", HEX.formatHex(k.skEr()));
        assertEquals("93fca39600e596e0e6cfe467ae5711adb853b46d93717b9a66e4cae8f4c28cb0", HEX.formatHex(k.skPi()));
        assertEquals("62dc95becee57c5e5c651784ac32e9088a7fb545519f037a1ac61416b887e8a7", HEX.formatHex(k.skPr()));
    }

    @Test
    void suiteBKeysCarryTheGcmSalt() {
        assertEquals(216, SUITE_B.keyMaterialLength());
        assertEquals("b5d494b1baa2b8ffad824defd748115b5eb7d9b1df966115848a96de88c34f7f0cf1bfed6ea9b4f9fda1bd32aefb135c",
                HEX.formatHex(KeyDerivation.skeyseed(SUITE_B.prf(), NI, NR, SHARED)));
        IkeKeys k = keysB();
        assertEquals("73bdc2fb7f63b1d4b3e4c377d0c3f3ecaa8206671eaf8b9033deb8995f2cb9a53c0d2e26d148af85f17196c2ebceae4f",
                HEX.formatHex(k.skD()));
        assertEquals(0, k.skAi().length);
        assertEquals(0, k.skAr().length);
        assertEquals("6babf31ac1b1c6e07a6f35bf664c3c9934b30389c25956cfe4ad4ab0cf107636a47023d3", HEX.formatHex(k.skEi()));
        assertEquals("70ad0bd1d5276020cccaa289ade264fa366596c06643906e7a5d347430d1bc8caa4172fe", HEX.formatHex(k.skEr()));
        assertEquals("06424f877838836ecaf5a6f751be9b46dda69840b0e87302c54b9e0067d7de75bd9a753403b489e4d674afb62cd2b786",
                HEX.formatHex(k.skPi()));
        assertEquals("227d14b732678d687bda0ec9b9184a911e8532bd79d42d1888a42d577b44eddbcf0e76d9fd234bf57457844e61910f6d",
                HEX.formatHex(k.skPr()));
    }

    @Test
    void childKeys() {
        byte[] skD = keysA().skD();
        ChildKeys gcm = KeyDerivation.childKeys(PrfAlgorithm.HMAC_SHA2_256, skD, EncryptionAlgorithm.AES_GCM_16_128,
                Optional.empty(), Optional.empty(), NI, NR);
        assertEquals("809cd037f5cd591ba412eddf8c9c0138079ebee6", HEX.formatHex(gcm.encryptionInitiator()));
        assertEquals(0, gcm.integrityInitiator().length);
        assertEquals("bd157dc4f4d7775119a0b493a9cbc91929d5b87a", HEX.formatHex(gcm.encryptionResponder()));
        // Windows' default ESP: AES-CBC-256 + HMAC-SHA1-96, 104 bytes (ikev2.md §3.3).
        ChildKeys win = KeyDerivation.childKeys(PrfAlgorithm.HMAC_SHA2_256, skD, EncryptionAlgorithm.AES_CBC_256,
                Optional.of(IntegrityAlgorithm.HMAC_SHA1_96), Optional.empty(), NI, NR);
        String all = "809cd037f5cd591ba412eddf8c9c0138079ebee6bd157dc4f4d7775119a0b493a9cbc91929d5b87ac70bb38f513ba4d2"
                + "294f001411a254796ed750e33d166de2a574bbbb6a8530d84e8d4089105b2d3dcdb12d8be7ae9bd46dfa81f7e158d818ed"
                + "49af8a59497f92";
        assertEquals(all, HEX.formatHex(win.encryptionInitiator()) + HEX.formatHex(win.integrityInitiator())
                + HEX.formatHex(win.encryptionResponder()) + HEX.formatHex(win.integrityResponder()));
        assertEquals(20, win.integrityResponder().length);
        // With PFS the new g^ir comes first in the seed.
        ChildKeys pfs = KeyDerivation.childKeys(PrfAlgorithm.HMAC_SHA2_256, skD, EncryptionAlgorithm.AES_GCM_16_128,
                Optional.empty(), Optional.of(SHARED), NI, NR);
        assertEquals("9d10addf11170871bf94ca24a26fc0f67dea66a1", HEX.formatHex(pfs.encryptionInitiator()));
    }

    @Test
    void keysAreNotPrinted() {
        assertEquals("IkeKeys[redacted]", keysA().toString());
    }
}
