package io.p2sgw.openvpn.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class ControlPacketTest {
    private static final HexFormat HEX = HexFormat.of();

    /** openvpn.md §2.4: the server reset ACKs the client's id 0 and names the client's sid; msg id 0. */
    @Test
    void serverResetGolden() throws Exception {
        byte[] expected = HEX.parseHex("40" + "1112131415161718" + "01" + "00000000" + "a1a2a3a4a5a6a7a8" + "00000000");
        ControlPacket p = new ControlPacket(Opcode.CONTROL_HARD_RESET_SERVER_V2, 0, 0x1112131415161718L, List.of(0L),
                0xa1a2a3a4a5a6a7a8L, 0, new byte[0]);
        assertArrayEquals(expected, p.encode());
        ControlPacket back = ControlPacket.decode(expected);
        assertEquals(Opcode.CONTROL_HARD_RESET_SERVER_V2, back.opcode());
        assertEquals(0x1112131415161718L, back.sessionId());
        assertEquals(List.of(0L), back.acks());
        assertEquals(0xa1a2a3a4a5a6a7a8L, back.remoteSessionId());
    }

    /** Client reset: 0x38, no ACKs (so no remote sid), message id 0, empty payload. */
    @Test
    void clientResetGolden() throws Exception {
        byte[] wire = HEX.parseHex("38" + "0102030405060708" + "00" + "00000000");
        ControlPacket p = ControlPacket.decode(wire);
        assertEquals(Opcode.CONTROL_HARD_RESET_CLIENT_V2, p.opcode());
        assertEquals(0, p.keyId());
        assertEquals(List.of(), p.acks());
        assertEquals(0, p.messageId());
        assertEquals(0, p.payload().length);
        assertArrayEquals(wire, p.encode());
    }

    /** CONTROL_V1 with key_id 2, 2 ACKs, id 1, TLS payload. */
    @Test
    void controlWithAcksAndPayload() throws Exception {
        byte[] wire = HEX.parseHex("22" + "0102030405060708" + "02" + "00000003" + "00000004" + "a1a2a3a4a5a6a7a8" + "00000001" + "16030100");
        ControlPacket p = ControlPacket.decode(wire);
        assertEquals(Opcode.CONTROL_V1, p.opcode());
        assertEquals(2, p.keyId());
        assertEquals(List.of(3L, 4L), p.acks());
        assertEquals(1, p.messageId());
        assertArrayEquals(HEX.parseHex("16030100"), p.payload());
        assertArrayEquals(wire, p.encode());
    }

    /** P_ACK_V1 has no message id and no payload; 8 ACKs are legal (openvpn.md §11.1). */
    @Test
    void ackWithEightIds() throws Exception {
        StringBuilder sb = new StringBuilder("28" + "0102030405060708" + "08");
        for (int i = 0; i < 8; i++) {
            sb.append(String.format("%08x", i));
        }
        sb.append("a1a2a3a4a5a6a7a8");
        ControlPacket p = ControlPacket.decode(HEX.parseHex(sb.toString()));
        assertEquals(8, p.acks().size());
        assertArrayEquals(HEX.parseHex(sb.toString()), p.encode());
    }

    @Test
    void malformedInputsAreTypedErrors() {
        assertCode(WireException.Code.TRUNCATED, "38");
        assertCode(WireException.Code.TRUNCATED, "38010203040506070800"); // missing message id
        assertCode(WireException.Code.TOO_MANY_ACKS, "28010203040506070809");
        assertCode(WireException.Code.TRUNCATED, "2801020304050607080100000001"); // missing remote sid
        assertCode(WireException.Code.BAD_OPCODE, "30010203040506070800000000"); // P_DATA_V1 is not control
        assertCode(WireException.Code.BAD_OPCODE, "00010203040506070800000000");
        assertCode(WireException.Code.BAD_OPCODE, "f8010203040506070800000000"); // opcode 31
        assertCode(WireException.Code.BAD_LENGTH, "2801020304050607080000"); // ACK with payload
    }

    private static void assertCode(WireException.Code code, String hex) {
        WireException e = assertThrows(WireException.class, () -> ControlPacket.decode(HEX.parseHex(hex)));
        assertEquals(code, e.code());
    }
}
