package io.p2sgw.sstp.wire;

import java.util.Optional;
/** SSTP attribute identifiers ([MS-SSTP] 2.2.4); NO_ERROR only appears as the AttribID inside Status Info. */
public enum AttributeId {
    NO_ERROR(0x00),
    ENCAPSULATED_PROTOCOL_ID(0x01),
    STATUS_INFO(0x02),
    CRYPTO_BINDING(0x03),
    CRYPTO_BINDING_REQ(0x04);

    private final int id;

    AttributeId(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }

    /** The attribute with this id, if [MS-SSTP] defines it. */
    public static Optional<AttributeId> ofId(int id) {
        return id >= 0 && id < VALUES.length ? Optional.of(VALUES[id]) : Optional.empty();
    }

    private static final AttributeId[] VALUES = values();
}
