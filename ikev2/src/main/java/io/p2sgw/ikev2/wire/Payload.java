package io.p2sgw.ikev2.wire;

import java.nio.ByteBuffer;

/**
 * One IKEv2 payload without its 4-byte generic header (RFC 7296 §3.2), which {@link PayloadChain} reads and writes
 * since it links each payload to the next. Payloads are immutable values; their byte arrays are defensive copies.
 */
public sealed interface Payload permits SaPayload, KePayload, NoncePayload, NotifyPayload, IdPayload, CertPayload,
        CertRequestPayload, AuthPayload, TrafficSelectorPayload, ConfigPayload, EapPayload, DeletePayload,
        VendorIdPayload, EncryptedPayload, EncryptedFragmentPayload {

    /** The generic payload header's length. */
    int HEADER_LENGTH = 4;
    /** The Payload Length field is 16 bits and covers the header. */
    int MAX_BODY_LENGTH = 0xFFFF - HEADER_LENGTH;

    PayloadType type();

    /** The length of what {@link #encodeBody} writes. */
    int bodyLength();

    /** Writes the body (everything after the generic header) at the buffer's position. */
    void encodeBody(ByteBuffer out);
}
