package io.p2sgw.openvpn.wire;

import java.util.Optional;

/** OpenVPN packet opcodes: the upper 5 bits of the first byte (openvpn.md §2.2, ssl_pkt.h). */
public enum Opcode {
    CONTROL_HARD_RESET_CLIENT_V1(1),
    CONTROL_HARD_RESET_SERVER_V1(2),
    CONTROL_SOFT_RESET_V1(3),
    CONTROL_V1(4),
    ACK_V1(5),
    DATA_V1(6),
    CONTROL_HARD_RESET_CLIENT_V2(7),
    CONTROL_HARD_RESET_SERVER_V2(8),
    DATA_V2(9),
    CONTROL_HARD_RESET_CLIENT_V3(10),
    CONTROL_WKC_V1(11);

    /** {@code P_OPCODE_SHIFT}. */
    public static final int SHIFT = 3;
    /** {@code P_KEY_ID_MASK}. */
    public static final int KEY_ID_MASK = 0x07;

    private static final Opcode[] BY_VALUE = new Opcode[32];

    static {
        for (Opcode o : values()) {
            BY_VALUE[o.value] = o;
        }
    }

    private final int value;

    Opcode(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    /** The first byte of a packet with this opcode and key_id. */
    public byte firstByte(int keyId) {
        return (byte) (value << SHIFT | (keyId & KEY_ID_MASK));
    }

    public static Optional<Opcode> ofFirstByte(int firstByte) {
        return Optional.ofNullable(BY_VALUE[(firstByte & 0xFF) >>> SHIFT]);
    }

    /** The opcode of a first byte, or null for an unassigned value; for the data path, which allocates nothing. */
    public static Opcode ofFirstByteOrNull(int firstByte) {
        return BY_VALUE[(firstByte & 0xFF) >>> SHIFT];
    }

    public static int keyIdOf(int firstByte) {
        return firstByte & KEY_ID_MASK;
    }

    /** Legal control opcodes are 3..11 except the data ones (ssl_pkt.h P_FIRST_OPCODE..P_LAST_OPCODE). */
    public boolean isControl() {
        return this != DATA_V1 && this != DATA_V2 && value >= 3;
    }

    public boolean isData() {
        return this == DATA_V1 || this == DATA_V2;
    }

    /** Whether a packet starting with {@code firstByte} is a data packet (P_DATA_V1 or P_DATA_V2, any key id). */
    public static boolean isData(byte firstByte) {
        Opcode op = ofFirstByteOrNull(firstByte);
        return op != null && op.isData();
    }
}
