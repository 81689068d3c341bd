package io.p2sgw.sstp.ppp;

import java.util.Arrays;

/**
 * A control protocol packet (LCP, IPCP: RFC 1661 §5): Code(1), Identifier(1), Length(2, whole packet), Data. Bytes
 * beyond Length are padding and ignored (RFC 1661 §5).
 */
public record CpPacket(int code, int id, byte[] data) {
    public static final int HEADER_LENGTH = 4;

    public CpPacket {
        if (code < 0 || code > 0xFF || id < 0 || id > 0xFF || data.length > 0xFFFF - HEADER_LENGTH) {
            throw new IllegalArgumentException("control packet code " + code + " id " + id);
        }
        data = data.clone();
    }

    /** Parses the information field {@code b[off, off+len)} of a control protocol frame. */
    public static CpPacket parse(byte[] b, int off, int len) {
        if (len < HEADER_LENGTH) {
            throw new MalformedPacketException("control packet of " + len + " bytes");
        }
        int length = (b[off + 2] & 0xFF) << 8 | (b[off + 3] & 0xFF);
        if (length < HEADER_LENGTH || length > len) {
            throw new MalformedPacketException("control packet announces " + length + " bytes, " + len + " present");
        }
        return new CpPacket(b[off] & 0xFF, b[off + 1] & 0xFF, Arrays.copyOfRange(b, off + HEADER_LENGTH, off + length));
    }

    /** The packet (the frame's information field). */
    public byte[] encode() {
        byte[] out = new byte[HEADER_LENGTH + data.length];
        out[0] = (byte) code;
        out[1] = (byte) id;
        out[2] = (byte) (out.length >>> 8);
        out[3] = (byte) out.length;
        System.arraycopy(data, 0, out, HEADER_LENGTH, data.length);
        return out;
    }
}
