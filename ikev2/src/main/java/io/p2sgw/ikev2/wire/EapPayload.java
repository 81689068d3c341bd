package io.p2sgw.ikev2.wire;

import java.nio.ByteBuffer;

/**
 * EAP payload (RFC 7296 §3.16): one whole EAP message (RFC 3748 §4), nothing before or after it. The decoder checks
 * every length before it reads: the EAP header fits, the EAP Length field equals the payload body (IKE carries no
 * link-layer padding), a Request or Response has its Type byte, a Success or Failure is the bare header (RFC 3748
 * §4.2). The EAP method itself is the core's EAP-TLS ({@code io.p2sgw.tls.eap}).
 */
public record EapPayload(byte[] message) implements Payload {
    public static final int CODE_REQUEST = 1;
    public static final int CODE_RESPONSE = 2;
    public static final int CODE_SUCCESS = 3;
    public static final int CODE_FAILURE = 4;
    /** Offsets in the EAP header: Code(1), Identifier(1), Length(2) (RFC 3748 §4). */
    static final int CODE_OFFSET = 0;
    static final int IDENTIFIER_OFFSET = 1;
    static final int LENGTH_OFFSET = 2;
    /** Code(1) + Identifier(1) + Length(2). */
    static final int EAP_HEADER = 4;
    /** The Type byte of a Request or Response. */
    static final int TYPE_LENGTH = 1;
    /** The EAP Length field is 16 bits, and the payload's own length field must hold the message too. */
    static final int MAX_MESSAGE = Payload.MAX_BODY_LENGTH;

    public EapPayload {
        if (message.length < EAP_HEADER || message.length > MAX_MESSAGE) {
            throw new IllegalArgumentException("an EAP message of " + message.length + " bytes");
        }
        message = message.clone();
    }

    @Override
    public byte[] message() {
        return message.clone();
    }

    public int code() {
        return message[CODE_OFFSET] & 0xFF;
    }

    public int identifier() {
        return message[IDENTIFIER_OFFSET] & 0xFF;
    }

    static EapPayload decode(byte[] b, int off, int end) {
        Bytes.require(off, EAP_HEADER, end, "EAP");
        int code = Bytes.u8(b, off + CODE_OFFSET);
        int length = Bytes.u16(b, off + LENGTH_OFFSET);
        if (length != end - off) {
            throw IkeException.syntax("EAP Length " + length + " in a " + (end - off) + "-byte payload");
        }
        switch (code) {
            case CODE_REQUEST, CODE_RESPONSE -> {
                if (length < EAP_HEADER + TYPE_LENGTH) {
                    throw IkeException.syntax("EAP request/response without a type");
                }
            }
            case CODE_SUCCESS, CODE_FAILURE -> {
                if (length != EAP_HEADER) {
                    throw IkeException.syntax("EAP success/failure of " + length + " bytes (RFC 3748 §4.2: 4)");
                }
            }
            default -> throw IkeException.syntax("EAP code " + code);
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
