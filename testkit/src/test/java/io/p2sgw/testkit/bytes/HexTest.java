package io.p2sgw.testkit.bytes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HexTest {
    @Test
    void spacesAreIgnoredAndCaseDoesNotMatter() {
        assertArrayEquals(new byte[] {0x10, 0x01, 0x00, (byte) 0xAB}, Hex.bytes("1001 00\nAb"));
        assertEquals("100100ab", Hex.hex(Hex.bytes("1001 00ab")));
        assertArrayEquals(new byte[] {1, (byte) 0xff, 0}, Hex.bytes(1, 0xff, 0x100));
    }
}
