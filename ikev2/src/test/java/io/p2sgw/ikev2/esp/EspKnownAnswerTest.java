package io.p2sgw.ikev2.esp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.ikev2.crypto.EncryptionAlgorithm;
import io.p2sgw.ikev2.crypto.IntegrityAlgorithm;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * ESP packets against bytes computed elsewhere: our outbound packets as independent_esp_vectors.py (Python's hmac and
 * OpenSSL, written from the RFCs) computes them, including the second packet of an SA (which checks that the CBC
 * chaining trick yields the IV AES_K(0^8 ‖ seq) every time); the AES-GCM ESP test cases of draft-mcgrew-gcm-test-01
 * §4 (SPI ‖ 32-bit sequence number as AAD) opened by our inbound SA; our HMAC against RFC 2202 and JCA's Mac.
 */
class EspKnownAnswerTest {
    private static final HexFormat HEX = HexFormat.of();

    private static final String CBC256_SHA256_SEQ1 = "c0ffee0100000001f05d76ae4ab99fe5a6f69b3148c2363db57016f9e5b5cf7ec3"
            + "89325625357386d8ca8d077f493b9e6a2654c0166621aeaa4fdb55529e90bd09c84ad0a32bc0d797ba0fe226ca390d193e2b2b55e58c"
            + "b4fa79d02410384534a31f962e1fa5b044";
    private static final String CBC256_SHA256_SEQ2 = "c0ffee01000000020ebcb5deb52c83bd08a8a935182c9199c673dfa4fdfaf95a4f"
            + "f6e62bd79a468b19a119df7ee91eb29bbc7372908c972b3cfd48a96df021127109e7a4d5ffbd8c1329c9bfe00a793a60e0cc9adbf799"
            + "4ed3eca537396553b283cda7b8c23707a7";
    private static final String CBC128_SHA1_SEQ1 = "c0ffee01000000017346139595c0b41e497bbde365f42d0a7d4f1f50a242d9386ea6"
            + "be74374cd920563727e69e97e49cc53bcd8778ec91d556e046b5956fe6e44ca3f2349a977f85dc784f91774f89f97f39957ac0ead690"
            + "3e663a52545eaf85807e11b7";
    private static final String GCM256_SEQ1 = "c0ffee01000000010000000000000001b32d62362494655f74416b70200665003aa6991db9"
            + "d88be1f6ee94f8172d59db360245cc967fab53d9d4beafb4e0c10bbad455681d41de9981af7f8416b1605a5934a3cf";
    private static final String GCM256_SEQ2 = "c0ffee010000000200000000000000024684a40f4ea145afdc231e4b682727babd8e1df292"
            + "63f6c7ea053b44963297677689b3f9373c8c8212d7de6933f61c8537ef9227cec56f663025aa4a3df20877632d34efa57928065ab5d5"
            + "6d26122605";
    private static final String GCM128_SEQ1 = "c0ffee01000000010000000000000001c2cdffc925acb02a928d0beffeb6f29c0510a857ba"
            + "14a6fb97a0eedf1fb454d157ffd15b9f2fe99182bcf6e207e36e52bd35dcb4ab444153dcb0ccd6f03c05f1215a7d57";

    @Test
    void cbcSha256PacketsMatchTheIndependentBytes() {
        assertSealsTo(EspSuite.CBC_256_SHA256, CBC256_SHA256_SEQ1, CBC256_SHA256_SEQ2);
    }

    @Test
    void cbcSha1PacketMatchesTheIndependentBytes() {
        assertSealsTo(EspSuite.CBC_128_SHA1, CBC128_SHA1_SEQ1, null);
    }

    @Test
    void gcm256PacketsMatchTheIndependentBytes() {
        assertSealsTo(EspSuite.GCM_256, GCM256_SEQ1, GCM256_SEQ2);
    }

    @Test
    void gcm128PacketMatchesTheIndependentBytes() {
        assertSealsTo(EspSuite.GCM_128, GCM128_SEQ1, null);
    }

    /** Seals the script's inner packets (48 bytes of 0xaa, then 61 of 0xbb) and opens the expected bytes. */
    private static void assertSealsTo(EspSuite suite, String first, String second) {
        OutboundEspSa out = suite.outbound();
        InboundEspSa in = suite.inbound();
        byte[][] inner = {EspSuite.ipv4(48, 0xaa), EspSuite.ipv4(61, 0xbb)};
        String[] expected = {first, second};
        for (int i = 0; i < 2 && expected[i] != null; i++) {
            byte[] buf = new byte[200];
            int n = out.seal(inner[i], 0, inner[i].length, buf, 3);
            assertEquals(expected[i], HEX.formatHex(buf, 3, 3 + n), "packet " + (i + 1));
            assertEquals(out.sealedLength(inner[i].length), n);
            byte[] packet = HEX.parseHex(expected[i]);
            int len = in.open(packet, 0, packet.length);
            assertEquals(inner[i].length, len);
            assertArrayEquals(inner[i], Arrays.copyOfRange(packet, in.payloadOffset(), in.payloadOffset() + len));
        }
    }

    /** draft-mcgrew-gcm-test-01 §4 test cases without ESN, AES-128 and AES-256 (its Next Header is 1, not 4). */
    @Test
    void draftMcgrewGcmTestCasesOpen() {
        // Test Case 3: AES-256, SPI 4a2cbfe3, sequence number 2.
        assertOpensDraftCase(EncryptionAlgorithm.AES_GCM_16_256,
                "abbccddef00112233445566778899aababbccddef00112233445566778899aab" + "11223344",
                "4a2cbfe300000002" + "0102030405060708"
                        + "ff425c9b724599df7a3bcd510194e00d6a78107f1b0b1cbf06efae9d65a5d763748a637985771d347f0545659f14e99d"
                        + "ef842d8e" + "b335f4eecfdbf831824b4c4915956c96",
                "4500003069a6400080062690c0a801029389155e0a9e008b2dc57ee0000000007002400020bf0000020405b40101040201020201");
        // Test Case 4: AES-128, all-zero key, salt and IV, sequence number 1.
        assertOpensDraftCase(EncryptionAlgorithm.AES_GCM_16_128, "00000000000000000000000000000000" + "00000000",
                "0000000000000001" + "0000000000000000"
                        + "4688daf2f973a392732909c331d56d60f694abaa414b5e7ff5fdcdfff5e9a284456476492719ffb64de7d9dca1e1d894"
                        + "bc3bd57873ed4d181d19d4d5c8c18af3" + "f821d496eeb096e98ad2b69e4799c71d",
                "4500003c99c500008001cb7a40679318010101010800075c020044006162636465666768696a6b6c6d6e6f70717273747576"
                        + "7761626364656667686901020201");
        // Test Case 5: AES-128, sequence number ffffffff, a payload of only padding and trailer.
        assertOpensDraftCase(EncryptionAlgorithm.AES_GCM_16_128, "7d773d00c144c525ac619d18c84a3f47" + "d9664267",
                "335467aeffffffff" + "43457e9182443bc6" + "437f866b" + "cb3f699fe9b0822bac961c4504bef270",
                "01020201");
    }

    private static void assertOpensDraftCase(EncryptionAlgorithm encryption, String keyAndSalt, String packetHex,
            String plaintextHex) {
        byte[] packet = HEX.parseHex(packetHex);
        InboundEspSa in = new InboundEspSa(InboundEspSa.u32(packet, 0), encryption, Optional.empty(),
                HEX.parseHex(keyAndSalt), new byte[0], 1024);
        // The tag verified and the packet decrypted in place; then Next Header 1 (not IPv4) is refused.
        assertEquals(InboundEspSa.DROPPED, in.open(packet, 0, packet.length));
        assertEquals(EspDrop.BAD_NEXT_HEADER, in.lastDrop());
        byte[] plaintext = HEX.parseHex(plaintextHex);
        assertEquals(plaintextHex, HEX.formatHex(packet, 16, 16 + plaintext.length));
        assertEquals(InboundEspSa.u32(packet, 4) & 0xFFFF_FFFFL, in.highestSequence(), "the window moved");
    }

    @Test
    void hmacSha1MatchesRfc2202TestCase1() {
        byte[] key = new byte[20];
        Arrays.fill(key, (byte) 0x0b);
        Hmac h = new Hmac(IntegrityAlgorithm.HMAC_SHA1_96, key);
        byte[] data = "Hi There".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] out = new byte[12];
        h.sign(data, 0, data.length, out, 0);
        // RFC 2202 §3 test case 1: b617318655057264e28bc0b6fb378c8ef146be00, truncated to 96 bits (RFC 2404).
        assertEquals("b617318655057264e28bc0b6", HEX.formatHex(out));
    }

    @ParameterizedTest
    @EnumSource(IntegrityAlgorithm.class)
    void hmacMatchesJcaMacOnRandomInputsAndReusesItsState(IntegrityAlgorithm algorithm) throws Exception {
        SecureRandom random = new SecureRandom();
        byte[] key = new byte[algorithm.keyLength()];
        random.nextBytes(key);
        Hmac ours = new Hmac(algorithm, key);
        javax.crypto.Mac jca = algorithm.newMac(key);
        for (int len : new int[] {0, 1, 55, 56, 63, 64, 65, 127, 128, 129, 1400}) {
            byte[] data = new byte[len + 7];
            random.nextBytes(data);
            byte[] out = new byte[algorithm.icvLength() + 2];
            ours.sign(data, 5, len, out, 1);
            jca.update(data, 5, len);
            byte[] expected = Arrays.copyOf(jca.doFinal(), algorithm.icvLength());
            assertArrayEquals(expected, Arrays.copyOfRange(out, 1, 1 + algorithm.icvLength()), "length " + len);
            byte[] withIcv = Arrays.copyOf(data, data.length + expected.length);
            System.arraycopy(expected, 0, withIcv, data.length, expected.length);
            assertTrue(ours.verify(withIcv, 5, len, data.length));
            withIcv[data.length + expected.length - 1] ^= 1;
            assertFalse(ours.verify(withIcv, 5, len, data.length));
        }
    }
}
