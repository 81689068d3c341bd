package io.p2sgw.ikev2.wire;

import java.nio.ByteBuffer;

/**
 * The Encrypted and Authenticated payload SK (RFC 7296 §3.14; ikev2.md §1.15) as found on the wire:
 * {@code firstInnerType} is the generic header's Next Payload (the first payload inside), {@code body} is
 * IV ‖ ciphertext ‖ ICV. {@code offset} is where the payload's generic header starts in the message, which the
 * crypto layer needs because the ICV and the AEAD's associated data cover the message up to there.
 */
public record EncryptedPayload(int firstInnerType, int offset, byte[] body) implements Payload {
    public EncryptedPayload {
        body = body.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    static EncryptedPayload decode(int firstInner, byte[] b, int headerOffset, int messageStart, int end) {
        int off = headerOffset + HEADER_LENGTH;
        return new EncryptedPayload(firstInner, headerOffset - messageStart, Bytes.slice(b, off, end - off));
    }

    @Override
    public PayloadType type() {
        return PayloadType.SK;
    }

    @Override
    public int bodyLength() {
        return body.length;
    }

    @Override
    public void encodeBody(ByteBuffer out) {
        out.put(body);
    }
}
