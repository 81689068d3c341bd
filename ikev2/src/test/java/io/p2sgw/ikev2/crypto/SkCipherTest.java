package io.p2sgw.ikev2.crypto;

import static io.p2sgw.ikev2.crypto.CryptoVectors.HEX;
import static io.p2sgw.ikev2.crypto.CryptoVectors.SPI_I;
import static io.p2sgw.ikev2.crypto.CryptoVectors.SPI_R;
import static io.p2sgw.ikev2.crypto.CryptoVectors.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.ikev2.wire.CertPayload;
import io.p2sgw.ikev2.wire.EncryptedFragmentPayload;
import io.p2sgw.ikev2.wire.EncryptedPayload;
import io.p2sgw.ikev2.wire.ExchangeType;
import io.p2sgw.ikev2.wire.IkeException;
import io.p2sgw.ikev2.wire.IkeHeader;
import io.p2sgw.ikev2.wire.IkeMessage;
import io.p2sgw.ikev2.wire.NotifyPayload;
import io.p2sgw.ikev2.wire.NotifyType;
import io.p2sgw.ikev2.wire.Payload;
import io.p2sgw.ikev2.wire.PayloadChain;
import io.p2sgw.ikev2.wire.PayloadType;
import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SK protection in both families against bytes computed independently (independent_vectors.py: an IKE_AUTH request,
 * Message ID 1, holding N(INITIAL_CONTACT)), opening by the other role, tampering, and SKF fragments.
 */
class SkCipherTest {
    static final IkeHeader AUTH_REQUEST = new IkeHeader(SPI_I, SPI_R, 0, IkeHeader.VERSION_2_0,
            ExchangeType.IKE_AUTH.code(), IkeHeader.FLAG_INITIATOR, 1, 0);
    static final List<Payload> INNER = List.of(NotifyPayload.of(NotifyType.INITIAL_CONTACT));

    /** A SecureRandom that hands out a0 a1 a2 ...: the CBC IV of the vector. */
    static SecureRandom countingRandom() {
        return new SecureRandom() {
            private int next = 0xa0;

            @Override
            public void nextBytes(byte[] bytes) {
                for (int i = 0; i < bytes.length; i++) {
                    bytes[i] = (byte) next++;
                }
            }
        };
    }

    @Test
    void cbcHmacSealMatchesTheIndependentBytes() {
        SkCipher client = SkCipher.initiator(KeyDerivationTest.SUITE_A, KeyDerivationTest.keysA(), countingRandom());
        byte[] msg = client.seal(AUTH_REQUEST, INNER);
        assertEquals("010203040506070811121314151617182e202308000000010000005029000034a0a1a2a3a4a5a6a7a8a9aaabacadaeaf"
                + "e3d86fe93e130f802834a1484d6b0862df6fe049e2c13730914f47f30920f962", HEX.formatHex(msg));
        assertOpensTo(SkCipher.responder(KeyDerivationTest.SUITE_A, KeyDerivationTest.keysA(), new SecureRandom()),
                msg, INNER);
    }

    @Test
    void gcmSealMatchesTheIndependentBytes() {
        SkCipher client = SkCipher.initiator(KeyDerivationTest.SUITE_B, KeyDerivationTest.keysB(), new SecureRandom());
        byte[] msg = client.seal(AUTH_REQUEST, INNER);
        assertEquals("010203040506070811121314151617182e202308000000010000004129000025000000000000000180a0ffe071d90b16"
                + "72e5913c2191a6775b0486b63b010d832b", HEX.formatHex(msg));
        assertOpensTo(SkCipher.responder(KeyDerivationTest.SUITE_B, KeyDerivationTest.keysB(), new SecureRandom()),
                msg, INNER);
        // The explicit IV is a counter: the next message uses 2, never a repeat.
        byte[] second = client.seal(AUTH_REQUEST, INNER);
        assertEquals("0000000000000002", HEX.formatHex(java.util.Arrays.copyOfRange(second, 32, 40)));
    }

    static void assertOpensTo(SkCipher cipher, byte[] msg, List<Payload> expected) {
        IkeMessage m = IkeMessage.decode(msg, 0, msg.length);
        EncryptedPayload sk = (EncryptedPayload) m.payloads().getLast();
        byte[] inner = cipher.open(msg, 0, msg.length, sk);
        List<Payload> payloads = PayloadChain.decode(inner, 0, inner.length, sk.firstInnerType(), 0, true);
        byte[] want = new byte[PayloadChain.encodedLength(expected)];
        PayloadChain.encode(expected, java.nio.ByteBuffer.wrap(want));
        byte[] got = new byte[PayloadChain.encodedLength(payloads)];
        PayloadChain.encode(payloads, java.nio.ByteBuffer.wrap(got));
        assertArrayEquals(want, got);
    }

    @Test
    void everyTamperedByteIsRefusedInBothFamilies() {
        for (IkeSuite suite : List.of(KeyDerivationTest.SUITE_A, KeyDerivationTest.SUITE_B)) {
            IkeKeys keys = suite == KeyDerivationTest.SUITE_A ? KeyDerivationTest.keysA() : KeyDerivationTest.keysB();
            byte[] msg = SkCipher.initiator(suite, keys, new SecureRandom()).seal(AUTH_REQUEST, INNER);
            SkCipher gw = SkCipher.responder(suite, keys, new SecureRandom());
            EncryptedPayload sk = (EncryptedPayload) IkeMessage.decode(msg, 0, msg.length).payloads().getLast();
            // Every byte is covered: header (ICV/AAD), SK header, IV, ciphertext, ICV.
            for (int i = 0; i < msg.length; i++) {
                byte[] bad = msg.clone();
                bad[i] ^= 0x01;
                int at = i;
                RuntimeException e = assertThrows(RuntimeException.class, () -> gw.open(bad, 0, bad.length, sk),
                        suite + " byte " + at);
                assertTrue(e instanceof IntegrityException || e instanceof IkeException, e.toString());
            }
            // Our own messages do not open with our inbound keys (directions are separate).
            SkCipher gwOut = SkCipher.responder(suite, keys, new SecureRandom());
            byte[] reply = gwOut.seal(AUTH_REQUEST, INNER);
            EncryptedPayload rsk = (EncryptedPayload) IkeMessage.decode(reply, 0, reply.length).payloads().getLast();
            assertThrows(IntegrityException.class, () -> gw.open(reply, 0, reply.length, rsk));
        }
    }

    @Test
    void tooShortCiphertextIsASyntaxError() {
        SkCipher gw = SkCipher.responder(KeyDerivationTest.SUITE_A, KeyDerivationTest.keysA(), new SecureRandom());
        byte[] msg = SkCipher.initiator(KeyDerivationTest.SUITE_A, KeyDerivationTest.keysA(), new SecureRandom())
                .seal(AUTH_REQUEST, INNER);
        // Drop one ciphertext block: 0 bytes of ciphertext left.
        byte[] cut = new byte[msg.length - 16];
        System.arraycopy(msg, 0, cut, 0, 48);
        System.arraycopy(msg, 64, cut, 48, msg.length - 64);
        EncryptedPayload sk = new EncryptedPayload(41, 28, new byte[0]);
        assertEquals(NotifyType.INVALID_SYNTAX,
                assertThrows(IkeException.class, () -> gw.open(cut, 0, cut.length, sk)).notifyType());
    }

    @Test
    void fragmentsReassembleToTheSameChain() throws Exception {
        List<Payload> big = List.of(new CertPayload(4, new byte[3000]), NotifyPayload.of(NotifyType.INITIAL_CONTACT));
        for (IkeSuite suite : List.of(KeyDerivationTest.SUITE_A, KeyDerivationTest.SUITE_B)) {
            IkeKeys keys = suite == KeyDerivationTest.SUITE_A ? KeyDerivationTest.keysA() : KeyDerivationTest.keysB();
            List<byte[]> frags = SkCipher.initiator(suite, keys, new SecureRandom()).sealFragments(AUTH_REQUEST, big,
                    1248);
            assertEquals(3, frags.size());
            SkCipher gw = SkCipher.responder(suite, keys, new SecureRandom());
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            int firstInner = -1;
            for (int n = 0; n < frags.size(); n++) {
                byte[] f = frags.get(n);
                assertTrue(f.length <= 1248, "fragment " + f.length);
                IkeMessage m = IkeMessage.decode(f, 0, f.length);
                assertEquals(PayloadType.SKF.code(), m.header().nextPayload());
                EncryptedFragmentPayload skf = (EncryptedFragmentPayload) m.payloads().getFirst();
                assertEquals(n + 1, skf.fragmentNumber());
                assertEquals(3, skf.totalFragments());
                if (n == 0) {
                    firstInner = skf.firstInnerType();
                }
                joined.write(gw.openFragment(f, 0, f.length, skf));
            }
            assertEquals(PayloadType.CERT.code(), firstInner);
            byte[] inner = joined.toByteArray();
            List<Payload> back = PayloadChain.decode(inner, 0, inner.length, firstInner, 0, true);
            assertEquals(2, back.size());
            assertEquals(3000, ((CertPayload) back.getFirst()).data().length);
        }
    }

    @Test
    void sealIntoACallerBuffer() {
        SkCipher c = SkCipher.initiator(KeyDerivationTest.SUITE_A, KeyDerivationTest.keysA(), countingRandom());
        byte[] out = new byte[200];
        int n = c.seal(AUTH_REQUEST, INNER, out, 7);
        assertEquals(c.sealedLength(PayloadChain.encodedLength(INNER)), n);
        assertEquals("e3d86fe93e13", HEX.formatHex(java.util.Arrays.copyOfRange(out, 7 + 48, 7 + 54)));
        assertArrayEquals(hex("0102030405060708"), java.util.Arrays.copyOfRange(out, 7, 15));
    }
}
