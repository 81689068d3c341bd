package io.p2sgw.sstp.binding;

import static io.p2sgw.testkit.bytes.Hex.bytes;
import static io.p2sgw.testkit.bytes.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.sstp.wire.AttributeId;
import io.p2sgw.sstp.wire.ControlMessage;
import io.p2sgw.sstp.wire.CryptoBindingAttribute;
import io.p2sgw.sstp.wire.MessageType;
import io.p2sgw.sstp.wire.SstpStatus;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The two worked examples of [MS-SSTP] §4.7 as sstp.md §3.1 gives them (HLAK, nonce, cert hash -> Compound MAC; the
 * SHA-1 one is also sstpc's own unit test in src/sstp-cmac.c), then the verifier over both HLAK layouts real clients
 * send (sstp.md §3.3).
 */
class CryptoBindingTest {
    static final byte[] HLAK_256 = bytes("2A1BB40D55AB0F5EF32F06F2B3CC73C48FD3FAC41D7A1315A19228D9024CA164");
    static final byte[] NONCE_256 = bytes("412B489AEBD7ECC7D08966F26BE7CD72B231A0E9210D7C91B308862B0344C435");
    static final byte[] CERT_256 = bytes("7993EF314C493DACE9F02D60E7E61C84B6690AAFE9D7AEEA92CBBE8AD599422D");
    static final byte[] MAC_256 = bytes("52A68EFD8CFFBF52770B8F0FE8EC73716583AF6D611EB6D179B3B20840985449");

    static final byte[] HLAK_1 = bytes("4B3128F43925D9006EEFB1C4E86515A1D88E56BAB3CA2BDF0373B7F5A8A13B19");
    static final byte[] NONCE_1 = bytes("0F1A2D58D4A3E3000FAD3CE4906E07B707AA9E441CCEAC5CBD7B2CC1C9D86CDF");
    static final byte[] CERT_1 = bytes("5826B629BDA59B8E6FD8DCD2622FD34C534805A5");
    static final byte[] MAC_1 = bytes("69915DD583D8062FEF16F61DB2F03290EC27CB6C");

    @Test
    void sha256ExampleOfTheSpec() {
        byte[] msg = callConnected(HashProtocol.SHA256, NONCE_256, CERT_256, new byte[32]);
        assertEquals(hex(MAC_256), hex(CompoundMac.compute(HashProtocol.SHA256, HLAK_256, msg)));
    }

    @Test
    void sha1ExampleOfTheSpecIsPaddedToTheField() {
        byte[] msg = callConnected(HashProtocol.SHA1, NONCE_1, CERT_1, new byte[32]);
        assertEquals(hex(Arrays.copyOf(MAC_1, 32)), hex(CompoundMac.compute(HashProtocol.SHA1, HLAK_1, msg)));
    }

    @Test
    void theMacFieldItselfIsNotCovered() {
        byte[] withMac = callConnected(HashProtocol.SHA256, NONCE_256, CERT_256, MAC_256);
        assertArrayEquals(MAC_256, CompoundMac.compute(HashProtocol.SHA256, HLAK_256, withMac));
    }

    @Test
    void verifiesTheSpecLayoutFirst() {
        byte[] msk = mskWithFirst32(HLAK_256);
        var v = assertInstanceOf(BindingVerdict.Verified.class, verifier(NONCE_256, 0x03).verify(
                callConnected(HashProtocol.SHA256, NONCE_256, CERT_256, MAC_256), msk));
        assertEquals(new BindingVerdict.Verified(HashProtocol.SHA256, HlakLayout.MSK_FIRST_32), v);
    }

    @Test
    void verifiesBookwormsLayout() {
        // sstpc 1.0.18 + pppd 2.4.9: HLAK = MSK[0..15] ‖ MSK[32..47].
        byte[] msk = new byte[64];
        Arrays.fill(msk, (byte) 0x5A);
        System.arraycopy(HLAK_1, 0, msk, 0, 16);
        System.arraycopy(HLAK_1, 16, msk, 32, 16);
        assertArrayEquals(HLAK_1, HlakLayout.MSK_PPPD_249.hlak(msk));
        var v = assertInstanceOf(BindingVerdict.Verified.class, verifier(NONCE_1, 0x03).verify(
                callConnected(HashProtocol.SHA1, NONCE_1, CERT_1, MAC_1), msk));
        assertEquals(HlakLayout.MSK_PPPD_249, v.layout());
        assertEquals(HashProtocol.SHA1, v.hash());
    }

    @Test
    void zeroHlakOnlyWhenAllowed() {
        byte[] msg = callConnected(HashProtocol.SHA256, NONCE_256, CERT_256, new byte[32]);
        byte[] zeroMac = CompoundMac.compute(HashProtocol.SHA256, new byte[32], msg);
        byte[] signed = callConnected(HashProtocol.SHA256, NONCE_256, CERT_256, zeroMac);
        byte[] msk = mskWithFirst32(HLAK_256);
        assertRefused(verifier(NONCE_256, 0x03).verify(signed, msk), "matches none");
        var v = new CryptoBindingVerifier(NONCE_256, 0x03, hashes(), List.of(HlakLayout.MSK_FIRST_32, HlakLayout.ZERO))
                .verify(signed, msk);
        assertEquals(HlakLayout.ZERO, assertInstanceOf(BindingVerdict.Verified.class, v).layout());
    }

    @Test
    void refusals() {
        byte[] msk = mskWithFirst32(HLAK_256);
        byte[] good = callConnected(HashProtocol.SHA256, NONCE_256, CERT_256, MAC_256);
        assertRefused(verifier(NONCE_256, 0x01).verify(good, msk), "not offered");
        assertRefused(verifier(NONCE_1, 0x03).verify(good, msk), "nonce");
        byte[] otherCert = callConnected(HashProtocol.SHA256, NONCE_256, NONCE_1, MAC_256);
        assertRefused(verifier(NONCE_256, 0x03).verify(otherCert, msk), "certificate hash");
        byte[] flipped = good.clone();
        flipped[CryptoBindingAttribute.MAC_OFFSET + 31] ^= 1;
        assertRefused(verifier(NONCE_256, 0x03).verify(flipped, msk), "matches none");
        byte[] wrongMsk = msk.clone();
        wrongMsk[0] ^= 1;
        assertRefused(verifier(NONCE_256, 0x03).verify(good, wrongMsk), "matches none");
        byte[] unknownHash = good.clone();
        unknownHash[15] = 3;
        assertRefused(verifier(NONCE_256, 0x03).verify(unknownHash, msk), "not offered");
    }

    @Test
    void aMalformedMessageIsRefusedWithItsParseStatus() {
        byte[] noBinding = new ControlMessage(MessageType.CALL_CONNECTED, List.of()).encode();
        var r = assertInstanceOf(BindingVerdict.Refused.class,
                verifier(NONCE_256, 3).verify(noBinding, mskWithFirst32(HLAK_256)));
        assertEquals(SstpStatus.REQUIRED_ATTRIBUTE_MISSING, r.status());
        assertEquals(AttributeId.CRYPTO_BINDING, r.attribute());
    }

    @Test
    void certificateHashesOfADer() {
        byte[] der = {0x30, 0x03, 0x02, 0x01, 0x01};
        ServerCertificateHashes h = ServerCertificateHashes.of(der);
        assertEquals(hex(Arrays.copyOf(HashProtocol.SHA1.digest(der), 32)), hex(h.field(HashProtocol.SHA1)));
        assertEquals(hex(HashProtocol.SHA256.digest(der)), hex(h.field(HashProtocol.SHA256)));
        assertTrue(hex(h.field(HashProtocol.SHA1)).endsWith("000000000000000000000000"));
    }

    static void assertRefused(BindingVerdict v, String reasonPart) {
        var r = assertInstanceOf(BindingVerdict.Refused.class, v);
        assertEquals(AttributeId.CRYPTO_BINDING, r.attribute());
        assertEquals(SstpStatus.VALUE_NOT_SUPPORTED, r.status());
        assertTrue(r.reason().contains(reasonPart), r.reason());
    }

    static CryptoBindingVerifier verifier(byte[] nonce, int offered) {
        return new CryptoBindingVerifier(nonce, offered, hashes(), CryptoBindingVerifier.defaultLayouts());
    }

    static ServerCertificateHashes hashes() {
        return new ServerCertificateHashes(Arrays.copyOf(CERT_1, 32), CERT_256);
    }

    static byte[] mskWithFirst32(byte[] hlak) {
        byte[] msk = new byte[64];
        Arrays.fill(msk, (byte) 0xA5);
        System.arraycopy(hlak, 0, msk, 0, 32);
        return msk;
    }

    /** The 112-byte CALL_CONNECTED a client sends (sstp.md §2.5). */
    static byte[] callConnected(HashProtocol hash, byte[] nonce, byte[] certHash, byte[] mac) {
        return new ControlMessage(MessageType.CALL_CONNECTED, List.of(new CryptoBindingAttribute(hash.code(), nonce,
                Arrays.copyOf(certHash, 32), Arrays.copyOf(mac, 32)).toAttribute())).encode();
    }
}
