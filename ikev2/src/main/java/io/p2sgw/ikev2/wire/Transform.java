package io.p2sgw.ikev2.wire;

import java.nio.ByteBuffer;

/**
 * One transform substructure (RFC 7296 §3.3.2) with its only defined attribute, Key Length (§3.3.5), in bits, or
 * {@link #NO_KEY_LENGTH}. A transform that carried an attribute we do not know is marked {@code unknownAttribute}:
 * it must not be chosen (§3.3.6 "... MUST reject ... the transform") but the rest of the proposal still counts.
 */
public record Transform(int type, int id, int keyLength, boolean unknownAttribute) {
    public static final int NO_KEY_LENGTH = 0;
    /** Last Substruc(1) + reserved(1) + Transform Length(2) + Type(1) + reserved(1) + ID(2). */
    static final int FIXED = 8;
    /** Attribute Format bit: set for TV (2-byte value), clear for TLV (RFC 7296 §3.3.5). */
    static final int AF_TV = 0x8000;
    static final int ATTR_KEY_LENGTH = 14;
    static final int LAST = 0;
    static final int MORE = 3;
    /** More attributes than any real transform carries (one is defined). */
    public static final int MAX_ATTRIBUTES = 8;

    public Transform {
        if (type < 0 || type > 0xFF || id < 0 || id > 0xFFFF || keyLength < 0 || keyLength > 0xFFFF) {
            throw new IllegalArgumentException("transform field out of range");
        }
    }

    public static Transform of(int type, int id) {
        return new Transform(type, id, NO_KEY_LENGTH, false);
    }

    public static Transform of(int type, int id, int keyLengthBits) {
        return new Transform(type, id, keyLengthBits, false);
    }

    int encodedLength() {
        return FIXED + (keyLength != NO_KEY_LENGTH ? 4 : 0);
    }

    void encode(ByteBuffer out, boolean last) {
        out.put((byte) (last ? LAST : MORE)).put((byte) 0).putShort((short) encodedLength()).put((byte) type)
                .put((byte) 0).putShort((short) id);
        if (keyLength != NO_KEY_LENGTH) {
            out.putShort((short) (AF_TV | ATTR_KEY_LENGTH)).putShort((short) keyLength);
        }
    }

    /** Decodes the transform at {@code off}; returns it and, through {@code lengthOut[0]}, its length. */
    static Transform decode(byte[] b, int off, int end, boolean expectLast, int[] lengthOut) {
        Bytes.require(off, FIXED, end, "Transform");
        int marker = Bytes.u8(b, off);
        if (marker != (expectLast ? LAST : MORE)) {
            throw IkeException.syntax("Transform Last Substruc " + marker);
        }
        int length = Bytes.u16(b, off + 2);
        if (length < FIXED) {
            throw IkeException.syntax("Transform Length " + length);
        }
        Bytes.require(off, length, end, "Transform");
        int type = Bytes.u8(b, off + 4);
        int id = Bytes.u16(b, off + 6);
        int keyLength = NO_KEY_LENGTH;
        boolean unknown = false;
        int pos = off + FIXED;
        int tEnd = off + length;
        int count = 0;
        while (pos < tEnd) {
            if (++count > MAX_ATTRIBUTES) {
                throw IkeException.syntax("more than " + MAX_ATTRIBUTES + " transform attributes");
            }
            Bytes.require(pos, 4, tEnd, "Transform attribute");
            int word = Bytes.u16(b, pos);
            int attrType = word & 0x7FFF;
            if ((word & AF_TV) != 0) {
                if (attrType == ATTR_KEY_LENGTH) {
                    keyLength = Bytes.u16(b, pos + 2);
                } else {
                    unknown = true;
                }
                pos += 4;
            } else {
                int valueLength = Bytes.u16(b, pos + 2);
                Bytes.require(pos + 4, valueLength, tEnd, "Transform attribute value");
                // Key Length is defined as TV only (RFC 7296 §3.3.5); a TLV form of it is an unknown attribute.
                unknown = true;
                pos += 4 + valueLength;
            }
        }
        lengthOut[0] = length;
        return new Transform(type, id, keyLength, unknown);
    }

    @Override
    public String toString() {
        return TransformType.name(type) + ":" + id + (keyLength != NO_KEY_LENGTH ? "/" + keyLength : "")
                + (unknownAttribute ? "(unknown attribute)" : "");
    }
}
