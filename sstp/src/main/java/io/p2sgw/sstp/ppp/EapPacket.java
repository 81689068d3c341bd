package io.p2sgw.sstp.ppp;

import java.util.Arrays;

/**
 * An EAP packet (RFC 3748 §4; PPP protocol 0xC227): Code(1), Identifier(1), Length(2, whole packet), and for Request
 * and Response a Type(1) and type data. Success and Failure are 4 bytes (type 0, no data here).
 */
public record EapPacket(int code, int id, int type, byte[] typeData) {
    public static final int REQUEST = 1;
    public static final int RESPONSE = 2;
    public static final int SUCCESS = 3;
    public static final int FAILURE = 4;
    public static final int TYPE_IDENTITY = 1;
    public static final int TYPE_NOTIFICATION = 2;
    public static final int TYPE_NAK = 3;
    public static final int TYPE_TLS = 13;
    static final int HEADER_LENGTH = 4;

    public EapPacket {
        typeData = typeData.clone();
    }

    public static EapPacket parse(byte[] b, int off, int len) {
        if (len < HEADER_LENGTH) {
            throw new MalformedPacketException("EAP packet of " + len + " bytes");
        }
        int code = b[off] & 0xFF;
        int length = (b[off + 2] & 0xFF) << 8 | (b[off + 3] & 0xFF);
        if (length < HEADER_LENGTH || length > len) {
            throw new MalformedPacketException("EAP packet announces " + length + " bytes, " + len + " present");
        }
        if (code == REQUEST || code == RESPONSE) {
            if (length < HEADER_LENGTH + 1) {
                throw new MalformedPacketException("EAP " + (code == REQUEST ? "Request" : "Response") + " without type");
            }
            return new EapPacket(code, b[off + 1] & 0xFF, b[off + 4] & 0xFF,
                    Arrays.copyOfRange(b, off + HEADER_LENGTH + 1, off + length));
        }
        return new EapPacket(code, b[off + 1] & 0xFF, 0, new byte[0]);
    }

    public byte[] encode() {
        boolean typed = code == REQUEST || code == RESPONSE;
        byte[] out = new byte[HEADER_LENGTH + (typed ? 1 + typeData.length : 0)];
        out[0] = (byte) code;
        out[1] = (byte) id;
        out[2] = (byte) (out.length >>> 8);
        out[3] = (byte) out.length;
        if (typed) {
            out[4] = (byte) type;
            System.arraycopy(typeData, 0, out, 5, typeData.length);
        }
        return out;
    }
}
