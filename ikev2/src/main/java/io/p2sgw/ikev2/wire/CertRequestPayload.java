package io.p2sgw.ikev2.wire;

import java.nio.ByteBuffer;

/**
 * Certificate Request payload (RFC 7296 §3.7): for encoding 4 the Certification Authority field is a concatenation
 * of 20-byte SHA-1 hashes of trusted CAs' SubjectPublicKeyInfo (ikev2.md §1.11). Zero hashes are legal.
 */
public record CertRequestPayload(int encoding, byte[] authorities) implements Payload {
    public static final int SHA1_LENGTH = 20;

    public CertRequestPayload {
        authorities = authorities.clone();
    }

    @Override
    public byte[] authorities() {
        return authorities.clone();
    }

    /** The number of whole 20-byte hashes (encoding 4); trailing bytes of a broken list are not counted. */
    public int hashCount() {
        return authorities.length / SHA1_LENGTH;
    }

    static CertRequestPayload decode(byte[] b, int off, int end) {
        Bytes.require(off, 1, end, "CERTREQ");
        return new CertRequestPayload(Bytes.u8(b, off), Bytes.slice(b, off + 1, end - off - 1));
    }

    @Override
    public PayloadType type() {
        return PayloadType.CERTREQ;
    }

    @Override
    public int bodyLength() {
        return 1 + authorities.length;
    }

    @Override
    public void encodeBody(ByteBuffer out) {
        out.put((byte) encoding).put(authorities);
    }
}
