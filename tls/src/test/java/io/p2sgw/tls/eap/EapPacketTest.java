package io.p2sgw.tls.eap;

import static io.p2sgw.testkit.bytes.Hex.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.tls.eap.EapError.Reason;
import org.junit.jupiter.api.Test;

/** The EAP packet (RFC 3748 §4) and EAP-TLS type data (RFC 5216 §3.1) codecs: every length checked, bytes as the RFCs draw them. */
class EapPacketTest {
    @Test
    void theStartRequestAndSuccessLookAsInTheRfc() throws Exception {
        // RFC 5216 §3.1: Code 1, Identifier, Length 6, Type 13, Flags S.
        byte[] start = new EapPacket(EapPacket.REQUEST, 0x2A, EapPacket.TYPE_TLS, EapTlsFragment.start().encode()).encode();
        assertArrayEquals(bytes(1, 0x2A, 0, 6, 13, 0x20), start);
        assertArrayEquals(bytes(3, 7, 0, 4), EapPacket.success(7).encode());
        assertArrayEquals(bytes(4, 7, 0, 4), EapPacket.failure(7).encode());
        assertEquals(EapPacket.success(7), EapPacket.parse(bytes(3, 7, 0, 4)));
    }

    @Test
    void aFragmentWithLengthRoundTrips() throws Exception {
        EapTlsFragment f = new EapTlsFragment(EapTlsFragment.L | EapTlsFragment.M, 0x01020304L, bytes(0x16, 3, 3));
        byte[] typeData = f.encode();
        assertArrayEquals(bytes(0xC0, 1, 2, 3, 4, 0x16, 3, 3), typeData);
        assertEquals(f, EapTlsFragment.parse(typeData));
        byte[] packet = new EapPacket(EapPacket.RESPONSE, 9, EapPacket.TYPE_TLS, typeData).encode();
        assertArrayEquals(bytes(2, 9, 0, 13, 13, 0xC0, 1, 2, 3, 4, 0x16, 3, 3), packet);
        assertEquals(f, EapTlsFragment.parse(EapPacket.parse(packet).typeData()));
    }

    @Test
    void reservedFlagBitsAreIgnored() throws Exception {
        EapTlsFragment f = EapTlsFragment.parse(bytes(0x1F, 0x16));
        assertTrue(!f.more() && !f.lengthIncluded() && !f.startFlag());
        assertArrayEquals(bytes(0x16), f.data());
    }

    @Test
    void paddingAfterTheLengthIsIgnored() throws Exception {
        EapPacket p = EapPacket.parse(bytes(2, 1, 0, 7, 13, 0, 0x16, 0xEE, 0xEE));
        assertArrayEquals(bytes(0, 0x16), p.typeData());
        EapPacket q = EapPacket.parse(bytes(0xFF, 2, 1, 0, 6, 13, 0, 0xFF), 1, 6);
        assertEquals(1, q.identifier());
    }

    @Test
    void everyLengthIsCheckedBeforeItIsRead() {
        for (byte[] bad : new byte[][] {
                bytes(),                      // nothing
                bytes(2, 1, 0),               // shorter than the header
                bytes(2, 1, 0, 3),            // Length below the header
                bytes(2, 1, 0, 9, 13, 0),     // Length beyond the bytes
                bytes(2, 1, 0, 4),            // Response without a Type
                bytes(3, 1, 0, 5, 0),         // Success with data
                bytes(0, 1, 0, 4),            // unknown codes
                bytes(5, 1, 0, 4)}) {
            EapException e = assertThrows(EapException.class, () -> EapPacket.parse(bad));
            assertEquals(Reason.MALFORMED_PACKET, e.error().reason());
            assertEquals(EapError.NO_ANSWER, e.error().eapCode(), "malformed packets are discarded silently");
        }
        assertThrows(EapException.class, () -> EapTlsFragment.parse(bytes()));
        assertThrows(EapException.class, () -> EapTlsFragment.parse(bytes(0x80, 0, 0, 1)), "L with 3 length bytes");
        assertThrows(IndexOutOfBoundsException.class, () -> EapPacket.parse(bytes(2, 1, 0, 4), 2, 4));
    }

    @Test
    void theRecordsRefuseWhatCannotBeEncoded() {
        assertThrows(IllegalArgumentException.class, () -> new EapPacket(EapPacket.SUCCESS, 1, EapPacket.TYPE_TLS, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new EapPacket(EapPacket.REQUEST, 256, EapPacket.TYPE_TLS, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new EapPacket(EapPacket.REQUEST, 1, EapPacket.TYPE_TLS,
                new byte[EapPacket.MAX_LENGTH]));
        assertThrows(IllegalArgumentException.class, () -> new EapTlsFragment(EapTlsFragment.L, EapTlsFragment.NO_LENGTH, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new EapTlsFragment(0, 5, new byte[0]));
    }

    @Test
    void keysAreNeverPrinted() {
        byte[] material = new byte[128];
        java.util.Arrays.fill(material, (byte) 0x5A);
        EapTlsKeys keys = EapTlsKeys.fromKeyMaterial(material);
        assertEquals("EapTlsKeys[msk and emsk redacted]", keys.toString());
        assertArrayEquals(new byte[128], material, "the exported material is wiped once sliced");
        assertEquals(64, keys.msk().length);
    }
}
