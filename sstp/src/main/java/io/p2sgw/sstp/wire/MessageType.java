package io.p2sgw.sstp.wire;

import java.util.Optional;
/** SSTP control message types ([MS-SSTP] 2.2.2, the table in sstp.md §2.3). */
public enum MessageType {
    CALL_CONNECT_REQUEST(0x0001),
    CALL_CONNECT_ACK(0x0002),
    CALL_CONNECT_NAK(0x0003),
    CALL_CONNECTED(0x0004),
    CALL_ABORT(0x0005),
    CALL_DISCONNECT(0x0006),
    CALL_DISCONNECT_ACK(0x0007),
    ECHO_REQUEST(0x0008),
    ECHO_RESPONSE(0x0009);

    private final int code;

    MessageType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The type with this wire value, if [MS-SSTP] defines it. */
    public static Optional<MessageType> ofCode(int code) {
        return code >= 1 && code <= VALUES.length ? Optional.of(VALUES[code - 1]) : Optional.empty();
    }

    private static final MessageType[] VALUES = values();
}
