package io.p2sgw.ikev2.wire;

import java.nio.ByteBuffer;

/**
 * EAP payload (RFC 7296 §3.16): one whole EAP message (RFC 3748 §4). The decoder checks the EAP Length field
 * against the payload; the EAP method itself is the core's EAP-TLS.
 */
public record EapPayload(byte[] message) implements Payload {
    public static final int CODE_REQUEST = 1;
    public static final int CODE_RESPONSE = 2;
    public static final int CODE_SUCCESS = 3;
    public static final int CODE_FAILURE = 4;
    /** Code(1) + Identifier(1) + Length(2). */
    static final int EAP_HEADER = 4;

    public EapPayload {
        message = message.clone();
    }

    @Override
    public byte[] message() {
        return message.clone();
    }

    public int code() {
        return message[0] & 0xFF;
    }

    public int identifier() {
        return message[1] & 0xFF;
    }

    static EapPayload decode(byte[] b, int off, int end) {
        Bytes.require(off, EAP_HEADER, end, "EAP");
        int code = Bytes.u8(b, off);
        int length = Bytes.u16(b, off + 2);
        if (length != end - off) {
            throw IkeException.syntax("EAP Length " + length + " in a " + (end - off) + "-byte payload");
        }
        if (code < CODE_REQUEST || code > CODE_FAILURE) {
            throw IkeException.syntax("EAP code " + code);
        }
        if ((code == CODE_REQUEST || code == CODE_RESPONSE) && length < EAP_HEADER + 1) {
            throw IkeException.syntax("EAP request/response without a type");
        }
        return new EapPayload(Bytes.slice(b, off, length));
    }

    @Override
    public PayloadType type() {
        return PayloadType.EAP;
    }

    @Override
    public int bodyLength() {
        return message.length;
    }

    @Override
    public void encodeBody(ByteBuffer out) {
        out.put(message);
    }
}
