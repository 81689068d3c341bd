package io.p2sgw.sstp.wire;

/**
 * One SSTP attribute as it travels ([MS-SSTP] 2.2.4): Reserved(1), AttributeID(1), 4 reserved bits + 12-bit Length of
 * the whole attribute (this 4-byte header included), Value. The id is kept raw so that an unknown one can be named in
 * the Status Info that refuses it.
 */
public record Attribute(int id, byte[] value) {
    public static final int HEADER_LENGTH = 4;

    public Attribute {
        if (id < 0 || id > 0xFF || value.length > SstpHeader.MAX_PACKET - SstpHeader.MIN_CONTROL_PACKET - HEADER_LENGTH) {
            throw new IllegalArgumentException("attribute " + id + " with " + value.length + " bytes");
        }
    }

    public Attribute(AttributeId id, byte[] value) {
        this(id.id(), value);
    }

    /** The attribute's length on the wire, header included. */
    public int length() {
        return HEADER_LENGTH + value.length;
    }
}
