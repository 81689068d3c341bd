package io.p2sgw.openvpn.wire;

/**
 * The cleartext header of an AEAD data packet (openvpn.md §7.1):
 * {@code P_DATA_V2: op/kid | peer-id(3) | packet-id(4) | tag(16) | ciphertext},
 * {@code P_DATA_V1: op/kid | packet-id(4) | tag(16) | ciphertext}.
 *
 * @param headerLength bytes before the tag (the AEAD associated data for V2 is [0, headerLength))
 * @param peerId       the peer-id for V2, -1 for V1
 */
public record DataPacketHeader(Opcode opcode, int keyId, int peerId, long packetId, int headerLength) {
    public static final int TAG_LENGTH = 16;
    public static final int V1_HEADER = 1 + 4;
    public static final int V2_HEADER = 1 + 3 + 4;
    /** The receiver rejects an empty payload (§7.1). */
    public static final int MIN_PAYLOAD = 1;

    public static DataPacketHeader parse(byte[] buf, int off, int len) throws WireException {
        if (len < 1) {
            throw new WireException(WireException.Code.TRUNCATED, "empty packet");
        }
        int first = buf[off] & 0xFF;
        Opcode op = Opcode.ofFirstByteOrNull(first);
        if (op == null || !op.isData()) {
            throw new WireException(WireException.Code.BAD_OPCODE, "not a data opcode: " + (first >>> Opcode.SHIFT));
        }
        int header = op == Opcode.DATA_V2 ? V2_HEADER : V1_HEADER;
        if (len < header + TAG_LENGTH + MIN_PAYLOAD) {
            throw new WireException(WireException.Code.TRUNCATED, "data packet of " + len + " bytes");
        }
        int peerId = -1;
        int p = off + 1;
        if (op == Opcode.DATA_V2) {
            peerId = (buf[p] & 0xFF) << 16 | (buf[p + 1] & 0xFF) << 8 | (buf[p + 2] & 0xFF);
            p += 3;
        }
        long pid = ((buf[p] & 0xFFL) << 24) | ((buf[p + 1] & 0xFF) << 16) | ((buf[p + 2] & 0xFF) << 8) | (buf[p + 3] & 0xFF);
        return new DataPacketHeader(op, Opcode.keyIdOf(first), peerId, pid, header);
    }
}
