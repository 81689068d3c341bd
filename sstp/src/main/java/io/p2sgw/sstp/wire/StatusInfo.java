package io.p2sgw.sstp.wire;

import java.util.Arrays;
import java.util.Optional;

/**
 * The value of a Status Info attribute ([MS-SSTP] 2.2.8): Reserved(3), AttribID(1) of the attribute at fault,
 * Status(4), and, only in a NAK, the refused attribute's value (at most 64 bytes).
 *
 * @param attribute the raw AttribID (0 = NO_ERROR)
 * @param status the raw status; {@link #knownStatus()} names it
 */
public record StatusInfo(int attribute, long status, byte[] value) {
    static final int FIXED_LENGTH = 8;
    /** [MS-SSTP] 2.2.8: AttribValue is at most 64 bytes. */
    public static final int MAX_VALUE = 64;

    public StatusInfo {
        if (attribute < 0 || attribute > 0xFF || value.length > MAX_VALUE) {
            throw new IllegalArgumentException("status info for attribute " + attribute);
        }
        value = value.clone();
    }

    public StatusInfo(AttributeId attribute, SstpStatus status) {
        this(attribute.id(), status.code(), new byte[0]);
    }

    /** The status by name, if [MS-SSTP] 2.2.8 defines it. */
    public Optional<SstpStatus> knownStatus() {
        return SstpStatus.ofCode(status);
    }

    static StatusInfo decode(byte[] v) {
        if (v.length < FIXED_LENGTH || v.length > FIXED_LENGTH + MAX_VALUE) {
            throw new SstpException(AttributeId.STATUS_INFO, SstpStatus.INVALID_ATTRIB_VALUE_LENGTH,
                    "status info of " + v.length + " bytes");
        }
        long status = (v[4] & 0xFFL) << 24 | (v[5] & 0xFF) << 16 | (v[6] & 0xFF) << 8 | (v[7] & 0xFF);
        return new StatusInfo(v[3] & 0xFF, status, Arrays.copyOfRange(v, FIXED_LENGTH, v.length));
    }

    Attribute toAttribute() {
        byte[] v = new byte[FIXED_LENGTH + value.length];
        v[3] = (byte) attribute;
        v[4] = (byte) (status >>> 24);
        v[5] = (byte) (status >>> 16);
        v[6] = (byte) (status >>> 8);
        v[7] = (byte) status;
        System.arraycopy(value, 0, v, FIXED_LENGTH, value.length);
        return new Attribute(AttributeId.STATUS_INFO, v);
    }

    @Override
    public String toString() {
        return knownStatus().map(Object::toString).orElse("status " + status) + " ("
                + AttributeId.ofId(attribute).map(Object::toString).orElse("attribute " + attribute) + ")";
    }
}
