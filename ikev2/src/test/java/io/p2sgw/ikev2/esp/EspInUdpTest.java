package io.p2sgw.ikev2.esp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.p2sgw.ikev2.esp.EspInUdp.Kind;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** What arrives on UDP 4500 (RFC 3948 §2.2, §2.3; ikev2.md §5.3, pitfall §10.17). */
class EspInUdpTest {
    private static Kind kind(String hex) {
        byte[] b = HexFormat.of().parseHex("77" + hex + "77");
        return EspInUdp.classify(b, 1, b.length - 2);
    }

    @Test
    void tellsKeepalivesIkeAndEspApart() {
        assertEquals(Kind.KEEPALIVE, kind("ff"));
        assertEquals(Kind.INVALID, kind("00"));
        assertEquals(Kind.INVALID, kind(""));
        assertEquals(Kind.INVALID, kind("ffff"));
        // The non-ESP marker and an IKE header (the IKE decoder checks the rest).
        assertEquals(Kind.IKE, kind("00000000" + "0102030405060708" + "0000000000000000" + "2120220800000000"));
        assertEquals(Kind.INVALID, kind("000000000102"), "a marker with less than an SPI/sequence's worth after it");
        assertEquals(Kind.ESP, kind("c0ffee01" + "00000001" + "00".repeat(40)));
        assertEquals(Kind.ESP, kind("00000100" + "00000001"), "SPI 256 is the first unreserved");
        assertEquals(Kind.INVALID, kind("000000ff" + "00000001"), "SPIs 1..255 are reserved (RFC 4303 §2.1)");
        assertEquals(Kind.ESP, kind("ffffffff" + "00000001"));
        assertEquals(Kind.INVALID, kind("c0ffee01" + "000000"));
    }

    @Test
    void readsTheSpiAndWritesTheMarker() {
        byte[] b = HexFormat.of().parseHex("99c0ffee0100000001");
        assertEquals(0xc0ffee01, EspInUdp.spi(b, 1));
        EspInUdp.putNonEspMarker(b, 1);
        assertEquals("990000000000000001", HexFormat.of().formatHex(b));
    }
}
