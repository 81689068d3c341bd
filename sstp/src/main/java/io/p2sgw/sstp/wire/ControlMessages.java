package io.p2sgw.sstp.wire;

import java.util.List;

/**
 * The control messages the server sends, as bytes, and the checks on the ones it receives. Every outgoing message has
 * exactly one attribute, and ABORT/DISCONNECT always carry Status Info: sstpc parses only the first attribute reliably
 * and ignores an ABORT without one (sstp.md §2.6; Windows always sends one, [MS-SSTP] Appendix A notes 3/4).
 */
public final class ControlMessages {
    /** SSTP_ENCAPSULATED_PROTOCOL_PPP ([MS-SSTP] 2.2.5). */
    public static final int PROTOCOL_PPP = 0x0001;
    /** CERT_HASH_PROTOCOL_SHA1 / SHA256 bits of the Crypto Binding Request bitmask ([MS-SSTP] 2.2.6). */
    public static final int HASH_SHA1 = 0x01;
    public static final int HASH_SHA256 = 0x02;
    static final int CRYPTO_BINDING_REQ_VALUE_LENGTH = 36;
    static final int ENCAPSULATED_PROTOCOL_VALUE_LENGTH = 2;

    private ControlMessages() {
    }

    /** CALL_CONNECT_ACK with the hash bitmask and the connection's nonce ([MS-SSTP] 2.2.10, 2.2.6; sstp.md §2.5). */
    public static byte[] connectAck(int hashBitmask, byte[] nonce) {
        if (nonce.length != CryptoBindingAttribute.NONCE_LENGTH || (hashBitmask & ~(HASH_SHA1 | HASH_SHA256)) != 0
                || hashBitmask == 0) {
            throw new IllegalArgumentException("bitmask " + hashBitmask + ", nonce of " + nonce.length + " bytes");
        }
        byte[] v = new byte[CRYPTO_BINDING_REQ_VALUE_LENGTH];
        v[3] = (byte) hashBitmask;
        System.arraycopy(nonce, 0, v, 4, nonce.length);
        return message(MessageType.CALL_CONNECT_ACK, new Attribute(AttributeId.CRYPTO_BINDING_REQ, v));
    }

    /** CALL_CONNECT_NAK echoing the refused attribute's value ([MS-SSTP] 2.2.11, 3.3.5.2.1). */
    public static byte[] connectNak(AttributeId attribute, SstpStatus status, byte[] refusedValue) {
        return message(MessageType.CALL_CONNECT_NAK,
                new StatusInfo(attribute.id(), status.code(), refusedValue).toAttribute());
    }

    /**
     * CALL_ABORT with one Status Info ([MS-SSTP] 2.2.13): its AttribID must name one of the attributes 1-4 (never
     * NO_ERROR) and its Status be 0x04-0x09 ({@link SstpStatus#allowedInCallAbort}); anything else is a bug here.
     */
    public static byte[] abort(AttributeId attribute, SstpStatus status) {
        if (attribute == AttributeId.NO_ERROR || !status.allowedInCallAbort()) {
            throw new IllegalArgumentException("CALL_ABORT cannot carry " + attribute + "/" + status + " ([MS-SSTP] 2.2.13)");
        }
        return message(MessageType.CALL_ABORT, new StatusInfo(attribute, status).toAttribute());
    }

    public static byte[] disconnect(AttributeId attribute, SstpStatus status) {
        return message(MessageType.CALL_DISCONNECT, new StatusInfo(attribute, status).toAttribute());
    }

    public static byte[] disconnectAck() {
        return new ControlMessage(MessageType.CALL_DISCONNECT_ACK, List.of()).encode();
    }

    public static byte[] echoRequest() {
        return new ControlMessage(MessageType.ECHO_REQUEST, List.of()).encode();
    }

    public static byte[] echoResponse() {
        return new ControlMessage(MessageType.ECHO_RESPONSE, List.of()).encode();
    }

    /**
     * The protocol a CALL_CONNECT_REQUEST asks for ([MS-SSTP] 2.2.9): its one Encapsulated Protocol ID attribute, of
     * value length 2. The caller NAKs any protocol other than {@link #PROTOCOL_PPP}.
     */
    public static int requestedProtocol(ControlMessage request) {
        byte[] v = request.single(AttributeId.ENCAPSULATED_PROTOCOL_ID).value();
        if (v.length != ENCAPSULATED_PROTOCOL_VALUE_LENGTH) {
            throw new SstpException(AttributeId.ENCAPSULATED_PROTOCOL_ID, SstpStatus.INVALID_ATTRIB_VALUE_LENGTH,
                    "encapsulated protocol value of " + v.length + " bytes");
        }
        return ControlMessage.u16(v, 0);
    }

    private static byte[] message(MessageType type, Attribute attribute) {
        return new ControlMessage(type, List.of(attribute)).encode();
    }
}
