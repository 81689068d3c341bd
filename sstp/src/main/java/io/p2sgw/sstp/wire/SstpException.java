package io.p2sgw.sstp.wire;

/**
 * A control message that does not parse or is not acceptable. It carries what [MS-SSTP] says to tell the peer: the
 * attribute at fault and the status (3.3.5.2: e.g. CRYPTO_BINDING / VALUE_NOT_SUPPORTED for a bad binding), which the
 * engine puts in the Status Info of its CALL_ABORT or CALL_CONNECT_NAK.
 */
public final class SstpException extends RuntimeException {
    private final AttributeId attribute;
    private final SstpStatus status;

    public SstpException(AttributeId attribute, SstpStatus status, String message) {
        super(status + " (" + attribute + "): " + message);
        this.attribute = attribute;
        this.status = status;
    }

    public AttributeId attribute() {
        return attribute;
    }

    public SstpStatus status() {
        return status;
    }
}
