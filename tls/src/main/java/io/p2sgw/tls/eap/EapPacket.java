package io.p2sgw.tls.eap;

import java.util.Arrays;

/**
 * One EAP packet (RFC 3748 §4): Code(1) Identifier(1) Length(2) and, for Requests and Responses, Type(1) and the
 * type data. Carried as the PPP information field of protocol 0xC227 (sstp.md §4.3) or in IKEv2's EAP payload
 * (RFC 7296 §3.16). Immutable; the type data is copied in and out of the record by the codec only.
 *
 * @param code {@link #REQUEST}, {@link #RESPONSE}, {@link #SUCCESS} or {@link #FAILURE}
 * @param identifier 0..255
 * @param type the EAP type for Requests and Responses, {@link #NO_TYPE} for Success and Failure
 * @param typeData the bytes after the type (empty for Success and Failure)
 */
public record EapPacket(int code, int identifier, int type, byte[] typeData) {
    public static final int REQUEST = 1;
    public static final int RESPONSE = 2;
    public static final int SUCCESS = 3;
    public static final int FAILURE = 4;

    public static final int TYPE_IDENTITY = 1;
    public static final int TYPE_NOTIFICATION = 2;
    public static final int TYPE_NAK = 3;
    /** EAP-TLS (RFC 5216 §3.1). */
    public static final int TYPE_TLS = 13;
    /** Success and Failure carry no type. */
    public static final int NO_TYPE = -1;

    /** Code, Identifier, Length (RFC 3748 §4). */
    public static final int HEADER_LENGTH = 4;
    /** The Length field is 16 bits. */
    public static final int MAX_LENGTH = 0xFFFF;

    public EapPacket {
        if (code < REQUEST || code > FAILURE) {
            throw new IllegalArgumentException("EAP code " + code);
        }
        if (identifier < 0 || identifier > 0xFF) {
            throw new IllegalArgumentException("EAP identifier " + identifier);
        }
        boolean typed = code == REQUEST || code == RESPONSE;
        if (typed != (type >= 0 && type <= 0xFF) || !typed && type != NO_TYPE) {
            throw new IllegalArgumentException("EAP type " + type + " with code " + code);
        }
        typeData = typeData.clone();
        if (!typed && typeData.length != 0 || HEADER_LENGTH + 1 + typeData.length > MAX_LENGTH) {
            throw new IllegalArgumentException("EAP type data of " + typeData.length + " bytes with code " + code);
        }
    }

    public static EapPacket success(int identifier) {
        return new EapPacket(SUCCESS, identifier, NO_TYPE, new byte[0]);
    }

    public static EapPacket failure(int identifier) {
        return new EapPacket(FAILURE, identifier, NO_TYPE, new byte[0]);
    }

    /** The type data (a copy). */
    @Override
    public byte[] typeData() {
        return typeData.clone();
    }

    /** Bytes in the Length field. */
    public int length() {
        return type == NO_TYPE ? HEADER_LENGTH : HEADER_LENGTH + 1 + typeData.length;
    }

    /**
     * Parses {@code len} bytes at {@code off}. Bytes beyond the Length field are link-layer padding and ignored
     * (RFC 3748 §4.1); a Length shorter than the header or longer than the bytes given is refused, as is an unknown
     * Code, a Request or Response without a Type, and a Success or Failure with data.
     */
    public static EapPacket parse(byte[] buf, int off, int len) throws EapException {
        if (off < 0 || len < 0 || off + len > buf.length) {
            throw new IndexOutOfBoundsException("range " + off + "+" + len + " of " + buf.length);
        }
        if (len < HEADER_LENGTH) {
            throw EapException.malformed("EAP packet of " + len + " bytes is shorter than its header");
        }
        int code = buf[off] & 0xFF;
        int identifier = buf[off + 1] & 0xFF;
        int length = (buf[off + 2] & 0xFF) << 8 | (buf[off + 3] & 0xFF);
        if (length < HEADER_LENGTH || length > len) {
            throw EapException.malformed("EAP Length " + length + " with " + len + " bytes received");
        }
        switch (code) {
            case REQUEST, RESPONSE -> {
                if (length < HEADER_LENGTH + 1) {
                    throw EapException.malformed("EAP code " + code + " without a Type");
                }
                int type = buf[off + HEADER_LENGTH] & 0xFF;
                return new EapPacket(code, identifier, type, Arrays.copyOfRange(buf, off + HEADER_LENGTH + 1, off + length));
            }
            case SUCCESS, FAILURE -> {
                if (length != HEADER_LENGTH) {
                    throw EapException.malformed("EAP code " + code + " with Length " + length + " (RFC 3748 §4.2: 4)");
                }
                return new EapPacket(code, identifier, NO_TYPE, new byte[0]);
            }
            default -> throw EapException.malformed("unknown EAP code " + code);
        }
    }

    public static EapPacket parse(byte[] packet) throws EapException {
        return parse(packet, 0, packet.length);
    }

    /** The packet's bytes, exactly {@link #length()} long. */
    public byte[] encode() {
        int length = length();
        byte[] out = new byte[length];
        out[0] = (byte) code;
        out[1] = (byte) identifier;
        out[2] = (byte) (length >>> 8);
        out[3] = (byte) length;
        if (type != NO_TYPE) {
            out[HEADER_LENGTH] = (byte) type;
            System.arraycopy(typeData, 0, out, HEADER_LENGTH + 1, typeData.length);
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EapPacket p && p.code == code && p.identifier == identifier && p.type == type
                && Arrays.equals(p.typeData, typeData);
    }

    @Override
    public int hashCode() {
        return ((code * 31 + identifier) * 31 + type) * 31 + Arrays.hashCode(typeData);
    }

    @Override
    public String toString() {
        return "EapPacket[code=" + code + ", id=" + identifier + ", type=" + type + ", " + typeData.length + " data bytes]";
    }
}
