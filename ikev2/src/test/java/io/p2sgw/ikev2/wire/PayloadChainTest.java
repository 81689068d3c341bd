package io.p2sgw.ikev2.wire;

import static io.p2sgw.ikev2.wire.PayloadCodecTest.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Payload chaining, unknown and critical payloads, SK/SKF placement, and whole messages. */
class PayloadChainTest {
    static final String HDR_SK = "0123456789abcdef fedcba9876543210 2e 20 23 08 00000001 ";

    static byte[] message(String headerWithoutLength, String payloads) {
        byte[] body = hex(payloads);
        byte[] h = hex(headerWithoutLength);
        byte[] m = new byte[28 + body.length];
        System.arraycopy(h, 0, m, 0, 24);
        int len = m.length;
        m[24] = (byte) (len >>> 24);
        m[25] = (byte) (len >>> 16);
        m[26] = (byte) (len >>> 8);
        m[27] = (byte) len;
        System.arraycopy(body, 0, m, 28, body.length);
        return m;
    }

    @Test
    void unknownNonCriticalPayloadIsSkipped() {
        // Nonce → type 99 (not critical) → Vendor ID.
        String ps = "63 00 0014" + "ab".repeat(16) + " 2b 00 0006 0102" + " 00 00 0005 ff";
        byte[] m = message("0123456789abcdef 0000000000000000 28 20 22 08 00000000", ps);
        IkeMessage msg = IkeMessage.decode(m, 0, m.length);
        assertEquals(2, msg.payloads().size());
        assertInstanceOf(NoncePayload.class, msg.payloads().get(0));
        assertArrayEquals(hex("ff"), ((VendorIdPayload) msg.payloads().get(1)).vendorId());
    }

    @Test
    void unknownCriticalPayloadFailsWithItsType() {
        String ps = "63 00 0014" + "ab".repeat(16) + " 00 80 0006 0102";
        byte[] m = message("0123456789abcdef 0000000000000000 28 20 22 08 00000000", ps);
        IkeException e = assertThrows(IkeException.class, () -> IkeMessage.decode(m, 0, m.length));
        assertEquals(NotifyType.UNSUPPORTED_CRITICAL_PAYLOAD, e.notifyType());
        assertArrayEquals(new byte[] {99}, e.data());
        // A known payload with the critical bit set is fine (RFC 7296 §3.2: the bit is ignored when understood).
        byte[] ok = message("0123456789abcdef 0000000000000000 28 20 22 08 00000000",
                "00 80 0014" + "ab".repeat(16));
        assertEquals(1, IkeMessage.decode(ok, 0, ok.length).payloads().size());
    }

    @Test
    void encryptedPayloadMustBeLastAndRecordsItsOffset() {
        // N(INITIAL_CONTACT) unencrypted, then SK whose first inner payload is IDi (35).
        String ps = "2e 00 0008 00004000" + " 23 00 0010 " + "77".repeat(12);
        byte[] m = message(HDR_SK.replace(" 2e ", " 29 "), ps);
        IkeMessage msg = IkeMessage.decode(m, 0, m.length);
        EncryptedPayload sk = assertInstanceOf(EncryptedPayload.class, msg.payloads().get(1));
        assertEquals(35, sk.firstInnerType());
        assertEquals(28 + 8, sk.offset());
        assertEquals(12, sk.body().length);
        // The same bytes inside a larger buffer: the offset is relative to the message.
        byte[] wider = new byte[m.length + 7];
        System.arraycopy(m, 0, wider, 4, m.length);
        assertEquals(28 + 8, ((EncryptedPayload) IkeMessage.decode(wider, 4, m.length).payloads().get(1)).offset());
        // A payload after SK; and SK inside SK plaintext.
        byte[] after = message(HDR_SK, "2b 00 0008 00000000 00 00 0005 01");
        assertThrows(IkeException.class, () -> IkeMessage.decode(after, 0, after.length));
        byte[] inner = hex("00 00 0008 00000000");
        assertThrows(IkeException.class, () -> PayloadChain.decode(inner, 0, inner.length, 46, 0, true));
    }

    @Test
    void encryptedFragmentNumbers() {
        byte[] m = message(HDR_SK.replace(" 2e ", " 35 "), "23 00 0018 0001 0002" + "00".repeat(16));
        EncryptedFragmentPayload f = (EncryptedFragmentPayload) IkeMessage.decode(m, 0, m.length).payloads().get(0);
        assertEquals(1, f.fragmentNumber());
        assertEquals(2, f.totalFragments());
        assertEquals(35, f.firstInnerType());
        assertEquals(28, f.offset());
        for (String bad : List.of("0000 0002", "0003 0002", "0001 0000", "0001 0011")) {
            byte[] b = message(HDR_SK.replace(" 2e ", " 35 "), "23 00 0018 " + bad + "00".repeat(16));
            assertEquals(NotifyType.INVALID_SYNTAX,
                    assertThrows(IkeException.class, () -> IkeMessage.decode(b, 0, b.length)).notifyType(), bad);
        }
        // Only fragment 1 names the first inner payload (RFC 7383 §2.5).
        byte[] two = message(HDR_SK.replace(" 2e ", " 35 "), "23 00 0018 0002 0002" + "00".repeat(16));
        assertThrows(IkeException.class, () -> IkeMessage.decode(two, 0, two.length));
    }

    @Test
    void lengthsThatLie() {
        String h = "0123456789abcdef 0000000000000000 28 20 22 08 00000000";
        for (String ps : List.of("00 00 0003", "00 00 0015" + "ab".repeat(16), "00 00 00", "28 00 0014"
                + "ab".repeat(16), "00 00 0014" + "ab".repeat(16) + "00")) {
            byte[] m = message(h, ps);
            assertEquals(NotifyType.INVALID_SYNTAX,
                    assertThrows(IkeException.class, () -> IkeMessage.decode(m, 0, m.length)).notifyType(), ps);
        }
    }

    @Test
    void tooManyPayloads() {
        StringBuilder ps = new StringBuilder();
        for (int i = 0; i < PayloadChain.MAX_PAYLOADS + 1; i++) {
            ps.append(i == PayloadChain.MAX_PAYLOADS ? "00" : "2b").append(" 00 0004 ");
        }
        byte[] m = message("0123456789abcdef 0000000000000000 2b 20 22 08 00000000", ps.toString());
        assertThrows(IkeException.class, () -> IkeMessage.decode(m, 0, m.length));
    }

    /**
     * The IKE_SA_INIT request strongSwan 5.9.8 sends by default (ikev2.md §2.1): two proposals with the algorithm
     * lists quoted there, KE group 31, a 32-byte nonce, NAT-D ×2, FRAG_SUP, HASH_ALG {2,3,4,5}, REDIR_SUP. The
     * probe saw it as 940 bytes; our encoder produces 940 bytes from the same lists, and decoding gives it back.
     */
    @Test
    void strongSwanDefaultIkeSaInitRequestIs940Bytes() {
        byte[] m = StrongSwanMessages.defaultIkeSaInitRequest(0x1122334455667788L, new byte[32], new byte[32],
                new byte[20], new byte[20]);
        assertEquals(940, m.length);
        IkeMessage msg = IkeMessage.decode(m, 0, m.length);
        List<PayloadType> types = new ArrayList<>();
        msg.payloads().forEach(p -> types.add(p.type()));
        assertEquals(List.of(PayloadType.SA, PayloadType.KE, PayloadType.NONCE, PayloadType.NOTIFY,
                PayloadType.NOTIFY, PayloadType.NOTIFY, PayloadType.NOTIFY, PayloadType.NOTIFY), types);
        SaPayload sa = msg.first(SaPayload.class).orElseThrow();
        assertEquals(38, sa.proposals().get(0).transforms().size());
        assertEquals(2, sa.proposals().get(1).number());
        assertArrayEquals(m, IkeMessage.toBytes(msg.header(), msg.payloads()));
    }
}
