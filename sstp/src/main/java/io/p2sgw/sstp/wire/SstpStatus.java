package io.p2sgw.sstp.wire;

import java.util.Optional;
/**
 * The Status field of an SSTP Status Info attribute ([MS-SSTP] 2.2.8): what the peer is told when a message is
 * refused (NAK), or a call is aborted or disconnected. sstpc prints these as "Connection was aborted, &lt;text&gt;".
 */
public enum SstpStatus {
    NO_ERROR(0x00),
    DUPLICATE_ATTRIBUTE(0x01),
    UNRECOGNIZED_ATTRIBUTE(0x02),
    INVALID_ATTRIB_VALUE_LENGTH(0x03),
    VALUE_NOT_SUPPORTED(0x04),
    UNACCEPTED_FRAME_RECEIVED(0x05),
    RETRY_COUNT_EXCEEDED(0x06),
    INVALID_FRAME_RECEIVED(0x07),
    NEGOTIATION_TIMEOUT(0x08),
    ATTRIB_NOT_SUPPORTED_IN_MSG(0x09),
    REQUIRED_ATTRIBUTE_MISSING(0x0A),
    STATUS_INFO_NOT_SUPPORTED_IN_MSG(0x0B);

    private final int code;

    SstpStatus(int code) {
        this.code = code;
    }

    /** The 32-bit value on the wire. */
    public int code() {
        return code;
    }

    /**
     * Whether a CALL_ABORT may carry this status: [MS-SSTP] 2.2.13 allows only ATTRIB_STATUS_VALUE_NOT_SUPPORTED (0x04)
     * through ATTRIB_STATUS_ATTRIB_NOT_SUPPORTED_IN_MSG (0x09) there; the others are for NAK and DISCONNECT.
     */
    public boolean allowedInCallAbort() {
        return code >= VALUE_NOT_SUPPORTED.code && code <= ATTRIB_NOT_SUPPORTED_IN_MSG.code;
    }

    /** The status with this wire value, if [MS-SSTP] defines it (otherwise it is kept as a raw number). */
    public static Optional<SstpStatus> ofCode(long code) {
        for (SstpStatus s : values()) {
            if (s.code == code) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
