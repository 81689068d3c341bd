package io.p2sgw.sstp.wire;

/**
 * The 4-byte header every SSTP packet starts with ([MS-SSTP] 2.2.1): Version 0x10, a byte whose least-significant bit
 * is the C(ontrol) flag, and 4 reserved bits + a 12-bit length of the whole packet, header included.
 */
public final class SstpHeader {
    /** Major version 1, minor 0 ([MS-SSTP] 2.2.1); anything else is a delineation failure. */
    public static final int VERSION = 0x10;
    public static final int LENGTH = 4;
    /** The 12-bit length field bounds a packet, header included ([MS-SSTP] 2.2.1). */
    public static final int MAX_PACKET = 0x0FFF;
    /** A data packet carries one PPP frame of at most this many bytes (sstp.md §2.1). */
    public static final int MAX_DATA_PAYLOAD = MAX_PACKET - LENGTH;
    /** Header + MessageType(2) + NumAttributes(2) ([MS-SSTP] 2.2.2). */
    public static final int MIN_CONTROL_PACKET = 8;
    static final int CONTROL_FLAG = 0x01;
    static final int LENGTH_MASK = 0x0FFF;

    private SstpHeader() {
    }

    /** Writes a data packet header for a {@code payloadLength}-byte PPP frame at {@code off}. */
    public static void writeData(byte[] buf, int off, int payloadLength) {
        write(buf, off, false, LENGTH + payloadLength);
    }

    static void write(byte[] buf, int off, boolean control, int packetLength) {
        if (packetLength < LENGTH || packetLength > MAX_PACKET) {
            throw new IllegalArgumentException("SSTP packet length " + packetLength);
        }
        buf[off] = (byte) VERSION;
        buf[off + 1] = (byte) (control ? CONTROL_FLAG : 0);
        buf[off + 2] = (byte) (packetLength >>> 8);
        buf[off + 3] = (byte) packetLength;
    }

    /** Whether the packet starting at {@code off} is a control packet. */
    public static boolean isControl(byte[] buf, int off) {
        return (buf[off + 1] & CONTROL_FLAG) != 0;
    }

    /** The packet length announced at {@code off}, reserved bits masked off as [MS-SSTP] 2.2.1 says. */
    public static int packetLength(byte[] buf, int off) {
        return ((buf[off + 2] & 0xFF) << 8 | (buf[off + 3] & 0xFF)) & LENGTH_MASK;
    }
}
