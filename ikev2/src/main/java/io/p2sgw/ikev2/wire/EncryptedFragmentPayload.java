package io.p2sgw.ikev2.wire;

import java.nio.ByteBuffer;

/**
 * The Encrypted Fragment payload SKF (RFC 7383 §2.5; ikev2.md §1.16). {@code firstInnerType} is non-zero only in
 * fragment 1. {@code body} is IV ‖ ciphertext ‖ ICV, after the 4 bytes of fragment numbers.
 */
public record EncryptedFragmentPayload(int firstInnerType, int fragmentNumber, int totalFragments, int offset,
        byte[] body) implements Payload {
    /** Fragment Number(2) + Total Fragments(2). */
    public static final int FRAGMENT_HEADER = 4;
    /**
     * Our cap on Total Fragments: strongSwan splits a 1.5 KB IKE_AUTH in two (ikev2.md §1.16); a 4096-bit chain at
     * 1280 bytes needs about 8. RFC 7383 §2.6 lets a receiver bound this.
     */
    public static final int MAX_FRAGMENTS = 16;

    public EncryptedFragmentPayload {
        body = body.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    static EncryptedFragmentPayload decode(int firstInner, byte[] b, int headerOffset, int messageStart, int end) {
        int off = headerOffset + HEADER_LENGTH;
        Bytes.require(off, FRAGMENT_HEADER, end, "SKF");
        int number = Bytes.u16(b, off);
        int total = Bytes.u16(b, off + 2);
        // RFC 7383 §2.6: zero numbers, or a number above the total, make the fragment invalid.
        if (number == 0 || total == 0 || number > total || total > MAX_FRAGMENTS) {
            throw IkeException.syntax("SKF fragment " + number + " of " + total);
        }
        if (number != 1 && firstInner != PayloadType.NONE) {
            throw IkeException.syntax("SKF fragment " + number + " names a first payload");
        }
        int bodyStart = off + FRAGMENT_HEADER;
        return new EncryptedFragmentPayload(firstInner, number, total, headerOffset - messageStart,
                Bytes.slice(b, bodyStart, end - bodyStart));
    }

    @Override
    public PayloadType type() {
        return PayloadType.SKF;
    }

    @Override
    public int bodyLength() {
        return FRAGMENT_HEADER + body.length;
    }

    @Override
    public void encodeBody(ByteBuffer out) {
        out.putShort((short) fragmentNumber).putShort((short) totalFragments).put(body);
    }
}
