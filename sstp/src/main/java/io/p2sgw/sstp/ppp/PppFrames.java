package io.p2sgw.sstp.ppp;

/**
 * PPP frames as SSTP carries them: one frame per SSTP data packet, no HDLC flag, escaping or FCS ([MS-SSTP] 2.2.3,
 * sstp.md §4.1). We always send Address/Control {@code FF 03} and a 2-byte protocol (RFC 1662 §3.1, RFC 1661 §2);
 * we accept frames without {@code FF 03} and with a 1-byte (compressed) protocol, as sstpc forwards whatever pppd
 * produced. Static, allocation-free helpers for the data path.
 */
public final class PppFrames {
    /** {@code FF 03} + 2-byte protocol. */
    public static final int HEADER_LENGTH = 4;
    static final int ADDRESS = 0xFF;
    static final int CONTROL = 0x03;

    private PppFrames() {
    }

    /**
     * The length of the frame's header (0, 2 or 3 bytes of address/control, plus 1 or 2 of protocol), or -1 if the
     * frame is too short or its protocol field is not valid (RFC 1661 §2: the low octet is odd, the high octet even).
     */
    public static int headerLength(byte[] b, int off, int len) {
        int p = 0;
        if (len >= 2 && (b[off] & 0xFF) == ADDRESS && (b[off + 1] & 0xFF) == CONTROL) {
            p = 2;
        }
        if (len - p < 1) {
            return -1;
        }
        if ((b[off + p] & 1) != 0) {
            return p + 1;
        }
        if (len - p < 2 || (b[off + p + 1] & 1) == 0) {
            return -1;
        }
        return p + 2;
    }

    /** The protocol of a frame whose {@link #headerLength} is {@code header} (valid, not -1). */
    public static int protocol(byte[] b, int off, int header) {
        // An odd header length means a 1-byte protocol (no address/control, or FF 03 + compressed protocol).
        return (header & 1) != 0
                ? b[off + header - 1] & 0xFF
                : (b[off + header - 2] & 0xFF) << 8 | (b[off + header - 1] & 0xFF);
    }

    /** Writes {@code FF 03} and the 2-byte protocol at {@code off}. */
    public static void writeHeader(byte[] b, int off, int protocol) {
        b[off] = (byte) ADDRESS;
        b[off + 1] = (byte) CONTROL;
        b[off + 2] = (byte) (protocol >>> 8);
        b[off + 3] = (byte) protocol;
    }

    /** A whole frame: header + {@code info}. */
    public static byte[] frame(int protocol, byte[] info) {
        byte[] f = new byte[HEADER_LENGTH + info.length];
        writeHeader(f, 0, protocol);
        System.arraycopy(info, 0, f, HEADER_LENGTH, info.length);
        return f;
    }
}
