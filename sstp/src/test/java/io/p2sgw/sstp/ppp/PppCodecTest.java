package io.p2sgw.sstp.ppp;

import static io.p2sgw.testkit.bytes.Hex.bytes;
import static io.p2sgw.testkit.bytes.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** PPP frame headers as SSTP carries them (sstp.md §4.1), control packets and options (RFC 1661 §5-6), EAP. */
class PppCodecTest {
    @Test
    void frameHeaders() {
        assertHeader("ff03c021", 4, 0xC021);
        assertHeader("ff030021", 4, 0x0021);
        assertHeader("ff0321", 3, 0x21); // FF 03 + compressed protocol (PFC)
        assertHeader("c021", 2, 0xC021); // no address/control (ACFC)
        assertHeader("21", 1, 0x21); // both
        assertHeader("ff03", -1, 0); // nothing after FF 03
        assertHeader("ff03c0", -1, 0); // even byte alone is half a protocol
        assertHeader("c020", -1, 0); // the low octet must be odd
        assertHeader("", -1, 0);
        assertEquals("ff03c22701", hex(PppFrames.frame(PppProtocol.EAP, bytes("01"))));
    }

    private static void assertHeader(String hex, int header, int protocol) {
        byte[] b = bytes(hex);
        assertEquals(header, PppFrames.headerLength(b, 0, b.length), hex);
        if (header > 0) {
            assertEquals(protocol, PppFrames.protocol(b, 0, header), hex);
        }
    }

    @Test
    void controlPacketKeepsItsLengthAndIgnoresPadding() {
        byte[] b = bytes("0901000811223344 0000");
        CpPacket p = CpPacket.parse(b, 0, b.length);
        assertEquals(9, p.code());
        assertEquals(1, p.id());
        assertEquals("11223344", hex(p.data()));
        assertEquals("0901000811223344", hex(p.encode()));
    }

    @Test
    void malformedControlPackets() {
        for (String s : List.of("090100", "09010003", "0901000911223344")) {
            byte[] b = bytes(s);
            assertThrows(MalformedPacketException.class, () -> CpPacket.parse(b, 0, b.length), s);
        }
    }

    @Test
    void options() {
        List<CpOption> o = CpOption.parseAll(bytes("010405dc 0702 05060a0b0c0d"));
        assertEquals(3, o.size());
        assertEquals(1500, o.get(0).value());
        assertEquals(0, o.get(1).data().length);
        assertEquals(0x0A0B0C0DL, o.get(2).value());
        assertArrayEquals(bytes("010405dc07020506 0a0b0c0d"), CpOption.encodeAll(o));
        for (String s : List.of("01", "0101", "010505dc", "0100")) {
            assertThrows(MalformedPacketException.class, () -> CpOption.parseAll(bytes(s)), s);
        }
    }

    @Test
    void eapPackets() {
        byte[] id = bytes("0201000a01616c696365");
        EapPacket p = EapPacket.parse(id, 0, id.length);
        assertEquals(EapPacket.RESPONSE, p.code());
        assertEquals(EapPacket.TYPE_IDENTITY, p.type());
        assertEquals("alice", new String(p.typeData(), java.nio.charset.StandardCharsets.US_ASCII));
        assertArrayEquals(id, p.encode());
        assertEquals("03070004", hex(new EapPacket(EapPacket.SUCCESS, 7, 0, new byte[0]).encode()));
        for (String s : List.of("020100", "02010004", "02010003", "0201000601")) {
            byte[] b = bytes(s);
            assertThrows(MalformedPacketException.class, () -> EapPacket.parse(b, 0, b.length), s);
        }
    }
}
